//! The confirmation dialog: where it records, the preview (scrolling), the editable fields and
//! the `Record this? [y/N]` prompt.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

use super::widgets::{centered, wrapped};
use crate::app::dialog::ConfirmDialog;
use crate::theme::Theme;

pub fn draw(frame: &mut Frame, area: Rect, d: &ConfirmDialog, theme: &Theme) {
    let width = area.width.saturating_sub(4).min(100);
    let fixed = 2 + d.fields.len() as u16 + 3;
    let room = area.height.saturating_sub(fixed + 2) as usize;
    // The preview wraps: every id, state and reason the operator confirms is on screen
    // (scrolling with pgdn/pgup), none cut off at the edge.
    let inner_w = width.saturating_sub(2) as usize;
    let preview: Vec<String> = d
        .preview
        .iter()
        .flat_map(|l| wrapped(l, inner_w.max(14)))
        .collect();
    let preview_rows = preview.len().min(room.max(1));
    let rect = centered(area, width, fixed + preview_rows as u16 + 1);
    let scroll = d.scroll.min(preview.len().saturating_sub(preview_rows));
    let mut lines: Vec<Line> = preview[scroll..scroll + preview_rows]
        .iter()
        .map(|l| Line::from(l.clone()))
        .collect();
    if preview.len() > preview_rows {
        lines.push(Line::from(Span::styled(
            format!(
                "… {} more lines (pgdn/pgup scroll)",
                preview.len() - preview_rows - scroll
            ),
            theme.muted,
        )));
    } else {
        lines.push(Line::from(""));
    }
    let label_w = d
        .fields
        .iter()
        .map(|f| f.label.chars().count())
        .max()
        .unwrap_or(0)
        + 2;
    for (i, f) in d.fields.iter().enumerate() {
        let focused = d.focus == i;
        let value = if f.choices.is_empty() {
            format!("{}{}", f.value, if focused { "▏" } else { "" })
        } else if focused {
            format!("‹ {} ›  ←/→ choose: {}", f.value, f.choices.join(" "))
        } else {
            format!("‹ {} ›", f.value)
        };
        lines.push(Line::from(vec![
            Span::styled(
                format!("{:<label_w$}", f.label),
                if focused { theme.key } else { theme.muted },
            ),
            Span::raw(value),
        ]));
    }
    match (&d.error, d.outdated) {
        (Some(e), _) => lines.push(Line::from(Span::styled(format!(" {e}"), theme.error))),
        (None, true) => lines.push(Line::from(Span::styled(
            format!(" ⚠ {}", crate::app::dialog::OUTDATED),
            theme.error,
        ))),
        (None, false) => lines.push(Line::from("")),
    }
    let prompt_style = if d.at_prompt() {
        theme.key.patch(theme.cursor)
    } else {
        theme.muted
    };
    let hint = if d.at_prompt() {
        "  y records · anything else cancels"
    } else {
        "  enter/tab: next field · esc cancels"
    };
    lines.push(Line::from(vec![
        Span::styled(" Record this? [y/N] ", prompt_style),
        Span::styled(hint, theme.muted),
    ]));
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.critical)
        .title(Span::styled(format!(" {} ", d.title), theme.title));
    frame.render_widget(Clear, rect);
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .style(theme.dialog)
            .wrap(Wrap { trim: false }),
        rect,
    );
}

#[cfg(test)]
mod tests {
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;

    use super::*;
    use crate::app::effect::Effect;

    #[test]
    fn a_long_preview_line_wraps_instead_of_being_cut_off() {
        let ids: Vec<String> = (0..12).map(|i| format!("audit-{i:02}")).collect();
        let line = format!("skip servicenow (audits {})", ids.join(" "));
        let d = ConfirmDialog::new(
            "Execute Retry",
            vec![line],
            Vec::new(),
            Effect::Export {
                scope: Default::default(),
            },
        );
        let mut term = Terminal::new(TestBackend::new(60, 20)).unwrap();
        term.draw(|f| draw(f, f.area(), &d, &Theme::dark()))
            .unwrap();
        let shown: String = term
            .backend()
            .buffer()
            .content()
            .iter()
            .map(|c| c.symbol())
            .collect();
        for id in &ids {
            assert!(shown.contains(id.as_str()), "{id} is on screen");
        }
    }
}
