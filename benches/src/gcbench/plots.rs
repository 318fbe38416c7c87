//! The report's figures, drawn as SVG with `plotters`: per workload the time-space curve
//! (wall time against peak heap as a multiple of the minimum heap, along each knob of the
//! space sweep), LBO against heap factor (wall and CPU time), the pause distribution
//! (CDF) and the MMU curve; across workloads one bar chart of wall time per configuration.
//! Pure functions of the summaries: the same results give the same bytes (plotters
//! measures text without font files here, and colours are fixed per configuration).

use plotters::coord::Shift;
use plotters::prelude::*;

use super::latency::{Clock, Latency};
use super::summary::{Summary, WorkloadSummary};
use super::sweep::Point;

/// Figure size in pixels.
const SIZE: (u32, u32) = (800, 500);

/// Series colours, by configuration index: Tableau 10, distinguishable in print and by
/// most colour-blind readers.
const PALETTE: [RGBColor; 10] = [
    RGBColor(31, 119, 180),
    RGBColor(255, 127, 14),
    RGBColor(44, 160, 44),
    RGBColor(214, 39, 40),
    RGBColor(148, 103, 189),
    RGBColor(140, 86, 75),
    RGBColor(227, 119, 194),
    RGBColor(127, 127, 127),
    RGBColor(188, 189, 34),
    RGBColor(23, 190, 207),
];

/// The colour of the configuration at `index` in the results' list.
fn colour(index: usize) -> RGBColor {
    PALETTE[index % PALETTE.len()]
}

/// One line of a figure: a name, a colour, a dash or not, and its points (marked with
/// dots when they are measurements rather than a distribution).
struct Line {
    name: String,
    colour: RGBColor,
    dashed: bool,
    markers: bool,
    points: Vec<(f64, f64)>,
}

/// `points` (x ascending, x > 0) thinned to one per `step` relative increase of x, the
/// last one kept: a distribution over thousands of histogram buckets drawn with a few
/// hundred points.
fn thin(points: Vec<(f64, f64)>, step: f64) -> Vec<(f64, f64)> {
    let mut out: Vec<(f64, f64)> = Vec::new();
    let last = points.last().copied();
    for p in points {
        if out.last().is_none_or(|q| p.0 >= q.0 * (1.0 + step)) {
            out.push(p);
        }
    }
    if let (Some(l), Some(q)) = (last, out.last()) {
        if *q != l {
            out.push(l);
        }
    }
    out
}

/// How an axis is scaled.
#[derive(Clone, Copy, PartialEq)]
enum Scale {
    Linear,
    Log,
}

/// An axis: its label and scale.
struct Axis<'a> {
    label: &'a str,
    scale: Scale,
}

type Area<'a> = DrawingArea<SVGBackend<'a>, Shift>;

fn failed<E: std::fmt::Debug>(e: E) -> String {
    format!("drawing failed: {e:?}")
}

/// The range of `values` padded by 5% (or by a factor on a log axis), never empty.
fn range(values: impl Iterator<Item = f64>, scale: Scale, from_zero: bool) -> (f64, f64) {
    let (mut lo, mut hi) = values
        .filter(|v| v.is_finite() && (scale == Scale::Linear || *v > 0.0))
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(l, h), v| {
            (l.min(v), h.max(v))
        });
    if lo > hi {
        (lo, hi) = (1.0, 1.0);
    }
    match scale {
        Scale::Log => (lo / 1.5, hi * 1.5),
        Scale::Linear => {
            if from_zero {
                lo = lo.min(0.0);
            }
            let pad = ((hi - lo) * 0.05).max(hi.abs() * 0.05).max(1e-9);
            (if from_zero && lo >= 0.0 { lo } else { lo - pad }, hi + pad)
        }
    }
}

/// A line chart of `lines` on `area`.
fn line_chart(
    area: &Area,
    title: &str,
    (x, y): (Axis, Axis),
    legend: SeriesLabelPosition,
    lines: &[Line],
) -> Result<(), String> {
    area.fill(&WHITE).map_err(failed)?;
    let all = || lines.iter().flat_map(|l| l.points.iter().copied());
    let (x0, x1) = range(all().map(|p| p.0), x.scale, false);
    let (y0, y1) = range(all().map(|p| p.1), y.scale, true);
    let mut builder = ChartBuilder::on(area);
    builder
        .caption(title, ("sans-serif", 18))
        .margin(12)
        .x_label_area_size(42)
        .y_label_area_size(64);
    // Four coordinate types, one drawing routine.
    macro_rules! draw {
        ($xr:expr, $yr:expr) => {{
            let mut chart = builder.build_cartesian_2d($xr, $yr).map_err(failed)?;
            chart
                .configure_mesh()
                .x_desc(x.label)
                .y_desc(y.label)
                .light_line_style(WHITE.mix(0.0))
                .draw()
                .map_err(failed)?;
            for l in lines {
                let style = ShapeStyle::from(&l.colour).stroke_width(2);
                let series = if l.dashed {
                    chart.draw_series(DashedLineSeries::new(l.points.iter().copied(), 6, 4, style))
                } else {
                    chart.draw_series(LineSeries::new(l.points.iter().copied(), style))
                }
                .map_err(failed)?;
                let (c, gap) = (l.colour, if l.dashed { 4 } else { 0 });
                series.label(l.name.as_str()).legend(move |(px, py)| {
                    EmptyElement::at((px, py))
                        + PathElement::new(vec![(0, 0), (7, 0)], c.stroke_width(2))
                        + PathElement::new(vec![(7 + gap, 0), (18, 0)], c.stroke_width(2))
                });
                if l.markers {
                    chart
                        .draw_series(
                            l.points
                                .iter()
                                .map(|&p| Circle::new(p, 3, ShapeStyle::from(&l.colour).filled())),
                        )
                        .map_err(failed)?;
                }
            }
            chart
                .configure_series_labels()
                .position(legend.clone())
                .background_style(WHITE.mix(0.85))
                .border_style(BLACK)
                .draw()
                .map_err(failed)?;
        }};
    }
    match (x.scale, y.scale) {
        (Scale::Linear, Scale::Linear) => draw!(x0..x1, y0..y1),
        (Scale::Log, Scale::Linear) => draw!((x0..x1).log_scale(), y0..y1),
        (Scale::Linear, Scale::Log) => draw!(x0..x1, (y0..y1).log_scale()),
        (Scale::Log, Scale::Log) => draw!((x0..x1).log_scale(), (y0..y1).log_scale()),
    }
    area.present().map_err(failed)
}

/// Renders `draw` into an SVG string.
fn svg(draw: impl FnOnce(&Area) -> Result<(), String>) -> Result<String, String> {
    let mut text = String::new();
    {
        let area = SVGBackend::with_string(&mut text, SIZE).into_drawing_area();
        draw(&area)?;
    }
    Ok(text)
}

/// A figure: its file name (without directory) and SVG text.
pub struct Figure {
    /// The file name.
    pub file: String,
    /// What it shows, for the report's link.
    pub title: String,
    /// The SVG document.
    pub svg: String,
}

/// A file-name-safe form of `name`.
fn slug(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// Where a sweep row goes on a figure, if it belongs there.
type PointOf<'a> = dyn Fn(&Summary, &Point) -> Option<(f64, f64)> + 'a;

/// The sweep's rows of each configuration along one knob, as lines: `pick` gives a
/// row's point (x, y), `None` to leave it out.
fn sweep_lines(
    sum: &WorkloadSummary,
    configs: &[String],
    knob: &str,
    dashed: bool,
    pick: &PointOf<'_>,
) -> Vec<Line> {
    configs
        .iter()
        .enumerate()
        .filter_map(|(k, name)| {
            let mut points: Vec<(f64, f64)> = sum
                .sweep
                .iter()
                .filter(|r| &r.config == name)
                .filter_map(|r| pick(r, r.point.as_ref()?))
                .collect();
            points.sort_by(|a, b| a.0.total_cmp(&b.0));
            (!points.is_empty()).then(|| Line {
                name: format!("{name} ({knob})"),
                colour: colour(k),
                dashed,
                markers: true,
                points,
            })
        })
        .collect()
}

/// The figures of one workload that its data supports. `configs` are the results'
/// configuration names (for colours); `min_heap` gives a configuration's minimum heap in
/// bytes.
pub fn workload_figures(
    workload: &str,
    sum: &WorkloadSummary,
    configs: &[String],
    min_heap: &dyn Fn(&str) -> Option<u64>,
) -> Result<Vec<Figure>, String> {
    let mut out = Vec::new();
    let stem = slug(workload);
    let mut add = |suffix: &str, title: String, draw: &dyn Fn(&Area) -> Result<(), String>| {
        svg(draw).map(|svg| {
            out.push(Figure {
                file: format!("{stem}-{suffix}.svg"),
                title,
                svg,
            })
        })
    };

    if !sum.sweep.is_empty() {
        let space = |r: &Summary| -> Option<f64> {
            Some(r.peak_heap_mb? * 1048576.0 / min_heap(&r.config)? as f64)
        };
        let mut lines = sweep_lines(sum, configs, "heap limit", false, &|r, p| {
            matches!(p, Point::HeapFactor { .. })
                .then(|| Some((space(r)?, r.wall_ms?.value)))
                .flatten()
        });
        lines.extend(sweep_lines(sum, configs, "setpause", true, &|r, p| {
            matches!(p, Point::Setpause { .. })
                .then(|| Some((space(r)?, r.wall_ms?.value)))
                .flatten()
        }));
        if !lines.is_empty() {
            let title = format!("{workload}: time against space");
            add("time-space", title.clone(), &|a| {
                line_chart(
                    a,
                    &title,
                    (
                        Axis {
                            label: "peak heap / minimum heap",
                            scale: Scale::Linear,
                        },
                        Axis {
                            label: "wall time, median (ms)",
                            scale: Scale::Linear,
                        },
                    ),
                    SeriesLabelPosition::UpperRight,
                    &lines,
                )
            })?;
        }
        let factor = |p: &Point| match p {
            Point::HeapFactor { factor, .. } => Some(*factor),
            Point::Setpause { .. } => None,
        };
        let mut lines = sweep_lines(sum, configs, "wall", false, &|r, p| {
            Some((factor(p)?, r.lbo_wall?.value))
        });
        lines.extend(sweep_lines(sum, configs, "CPU", true, &|r, p| {
            Some((factor(p)?, r.lbo_cpu?.value))
        }));
        if !lines.is_empty() {
            let title = format!("{workload}: LBO against heap size");
            add("lbo", title.clone(), &|a| {
                line_chart(
                    a,
                    &title,
                    (
                        Axis {
                            label: "heap limit / minimum heap",
                            scale: Scale::Linear,
                        },
                        Axis {
                            label: "LBO (median)",
                            scale: Scale::Linear,
                        },
                    ),
                    SeriesLabelPosition::UpperRight,
                    &lines,
                )
            })?;
        }
    }

    let latency_lines = |markers: bool, f: &dyn Fn(&Latency) -> Vec<(f64, f64)>| -> Vec<Line> {
        let mut lines = Vec::new();
        for (k, name) in configs.iter().enumerate() {
            let Some(row) = sum.rows.iter().find(|r| &r.config == name) else {
                continue;
            };
            for (clock, l) in [(Clock::Wall, &row.latency), (Clock::Cpu, &row.latency_cpu)] {
                let Some(l) = l else { continue };
                let points: Vec<(f64, f64)> = f(l);
                if !points.is_empty() {
                    lines.push(Line {
                        name: format!("{name} ({})", clock.name()),
                        colour: colour(k),
                        dashed: clock == Clock::Cpu,
                        markers,
                        points,
                    });
                }
            }
        }
        lines
    };
    let cdf = latency_lines(false, &|l| thin(l.cdf(), 0.01));
    if !cdf.is_empty() {
        let title = format!("{workload}: pause distribution");
        add("pause-cdf", title.clone(), &|a| {
            line_chart(
                a,
                &title,
                (
                    Axis {
                        label: "pause (ms)",
                        scale: Scale::Log,
                    },
                    Axis {
                        label: "fraction of pauses at most this long",
                        scale: Scale::Linear,
                    },
                ),
                SeriesLabelPosition::LowerRight,
                &cdf,
            )
        })?;
    }
    let mmu = latency_lines(true, &|l| {
        l.mmu_windows_ms
            .iter()
            .copied()
            .zip(l.mmu_median.iter().copied())
            .collect()
    });
    if !mmu.is_empty() {
        let title = format!("{workload}: minimum mutator utilisation");
        add("mmu", title.clone(), &|a| {
            line_chart(
                a,
                &title,
                (
                    Axis {
                        label: "window (ms)",
                        scale: Scale::Log,
                    },
                    Axis {
                        label: "MMU, median over runs",
                        scale: Scale::Linear,
                    },
                ),
                SeriesLabelPosition::LowerRight,
                &mmu,
            )
        })?;
    }
    Ok(out)
}

/// One bar chart across workloads: each configuration's median wall time over the
/// reference's (or, without one, the fastest configuration's) on each workload, as
/// horizontal bars grouped by workload.
pub fn wall_time_bars(
    workloads: &[(String, WorkloadSummary)],
    configs: &[String],
    reference: Option<&str>,
) -> Result<Option<Figure>, String> {
    // (workload, [(config index, ratio)])
    let mut groups: Vec<(&str, Vec<(usize, f64)>)> = Vec::new();
    for (name, sum) in workloads {
        let wall = |r: &Summary| r.wall_ms.map(|e| e.value).filter(|v| *v > 0.0);
        let base = match reference {
            Some(rn) => sum.rows.iter().find(|r| r.config == rn).and_then(wall),
            None => sum.rows.iter().filter_map(wall).min_by(f64::total_cmp),
        };
        let Some(base) = base else { continue };
        let bars: Vec<(usize, f64)> = configs
            .iter()
            .enumerate()
            .filter_map(|(k, c)| {
                let row = sum.rows.iter().find(|r| &r.config == c)?;
                Some((k, wall(row)? / base))
            })
            .collect();
        if !bars.is_empty() {
            groups.push((name.as_str(), bars));
        }
    }
    if groups.is_empty() {
        return Ok(None);
    }
    let over = reference.map_or_else(|| "the fastest".to_owned(), |r| r.to_owned());
    let title = format!("Wall time per configuration, ÷ {over}");
    let height = (groups.len() as u32 * configs.len() as u32 * 9 + 140).max(SIZE.1);
    let mut text = String::new();
    {
        let root = SVGBackend::with_string(&mut text, (SIZE.0, height)).into_drawing_area();
        root.fill(&WHITE).map_err(failed)?;
        let (labels, plot) = root.split_horizontally(130);
        let max = groups
            .iter()
            .flat_map(|g| g.1.iter().map(|b| b.1))
            .fold(1.0f64, f64::max);
        let n = groups.len() as f64;
        let mut chart = ChartBuilder::on(&plot)
            .caption(&title, ("sans-serif", 18))
            .margin(12)
            .x_label_area_size(42)
            .y_label_area_size(4)
            .build_cartesian_2d(0.0..max * 1.05, 0.0..n)
            .map_err(failed)?;
        chart
            .configure_mesh()
            .disable_y_mesh()
            .y_labels(0)
            .x_desc(format!("median wall time ÷ {over}"))
            .light_line_style(WHITE.mix(0.0))
            .draw()
            .map_err(failed)?;
        let m = configs.len() as f64;
        for (k, name) in configs.iter().enumerate() {
            let c = colour(k);
            let bars = groups.iter().enumerate().filter_map(|(i, (_, bars))| {
                let &(_, ratio) = bars.iter().find(|b| b.0 == k)?;
                // Workload 0 at the top.
                let top = n - i as f64 - 0.1 - k as f64 * 0.8 / m;
                Some(Rectangle::new(
                    [(0.0, top - 0.8 / m), (ratio, top)],
                    c.filled(),
                ))
            });
            chart
                .draw_series(bars)
                .map_err(failed)?
                .label(name.as_str())
                .legend(move |(px, py)| {
                    Rectangle::new([(px, py - 5), (px + 12, py + 5)], c.filled())
                });
        }
        chart
            .draw_series(std::iter::once(PathElement::new(
                vec![(1.0, 0.0), (1.0, n)],
                BLACK.stroke_width(1),
            )))
            .map_err(failed)?;
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::LowerRight)
            .background_style(WHITE.mix(0.85))
            .border_style(BLACK)
            .draw()
            .map_err(failed)?;
        let (_, plot_top) = plot.get_base_pixel();
        for (i, (name, _)) in groups.iter().enumerate() {
            let (_, py) = chart.backend_coord(&(0.0, n - i as f64 - 0.5));
            labels
                .draw(&Text::new(
                    name.to_string(),
                    (6, py - plot_top - 6),
                    ("sans-serif", 13),
                ))
                .map_err(failed)?;
        }
        root.present().map_err(failed)?;
    }
    Ok(Some(Figure {
        file: "wall-time.svg".to_owned(),
        title,
        svg: text,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_are_padded_and_never_empty() {
        assert_eq!(
            range([1.0, 3.0].into_iter(), Scale::Log, false),
            (1.0 / 1.5, 4.5)
        );
        let (lo, hi) = range([2.0, 4.0].into_iter(), Scale::Linear, true);
        assert_eq!(lo, 0.0);
        assert!(hi > 4.0);
        let (lo, hi) = range(std::iter::empty(), Scale::Linear, false);
        assert!(lo < hi);
        // Non-positive values have no place on a log axis.
        assert_eq!(
            range([0.0, 2.0].into_iter(), Scale::Log, false),
            (2.0 / 1.5, 3.0)
        );
    }

    #[test]
    fn thinning_keeps_the_ends_and_one_point_per_step() {
        let points: Vec<(f64, f64)> = (1..=1000).map(|i| (i as f64, i as f64 / 1000.0)).collect();
        let t = thin(points, 0.1);
        assert_eq!(t.first(), Some(&(1.0, 0.001)));
        assert_eq!(t.last(), Some(&(1000.0, 1.0)));
        assert!(t
            .windows(2)
            .all(|p| p[1].0 >= p[0].0 * 1.1 || p[1].0 == 1000.0));
        // 1.1^k reaches 1000 near k = 72; integer steps add a few near the start.
        assert!(t.len() < 90, "{}", t.len());
        assert!(thin(Vec::new(), 0.1).is_empty());
    }

    #[test]
    fn slugs_are_file_names() {
        assert_eq!(slug("my/bench v2"), "my_bench_v2");
        assert_eq!(slug("lru_cache-2"), "lru_cache-2");
    }
}
