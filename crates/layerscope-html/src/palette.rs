//! One colour per layer, shared by the chart and both treemaps, so a file's colour names the
//! layer's bar. Hues step by the golden angle, so neighbouring layers never look alike however
//! many layers there are, and lightness alternates for a second cue; all are light enough for
//! dark text on them.

/// The colour of layer `index`, as CSS `hsl()`.
pub fn color(index: usize) -> String {
    // 137.5° apart: the golden angle spreads any number of hues evenly round the circle.
    let hue = (index as f64 * 137.507_764 + 200.0) % 360.0;
    let lightness = if index.is_multiple_of(2) { 64 } else { 74 };
    format!("hsl({hue:.0},58%,{lightness}%)")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn neighbours_differ() {
        assert_eq!(color(0), "hsl(200,58%,64%)");
        assert_ne!(color(1), color(2));
    }
}
