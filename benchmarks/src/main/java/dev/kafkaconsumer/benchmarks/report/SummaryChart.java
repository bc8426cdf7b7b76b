package dev.kafkaconsumer.benchmarks.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Draws the headline ratios as an SVG horizontal bar chart, written by hand so that the module needs no
 * charting library. The ratios span two orders of magnitude (0.15 × raw to 8 × Spring), so the axis is
 * logarithmic: equal factors take equal room, and a ratio of 1 sits in the middle of its neighbours.
 * Each row is one ratio, its bar green when the target is met, red when not, grey without a target,
 * and the target a dashed vertical line across the row. A difference ({@link HeadlineRatio.Unit#MILLISECONDS},
 * B4's p99) has no place on a ratio axis and may be negative, nor has a count ({@link HeadlineRatio.Unit#COUNT}, B12's
 * order violations, which should be 0): such a row shows the value as text in the verdict's colour, next to its target
 * in the label.
 */
final class SummaryChart {

    static final String MET = "#2e7d32";
    static final String NOT_MET = "#c62828";
    static final String NO_TARGET = "#757575";

    private static final int WIDTH = 1220;
    private static final int LABEL_RIGHT = 660;
    private static final int PLOT_LEFT = 670;
    private static final int PLOT_RIGHT = 1160;
    private static final int TOP = 56;
    private static final int ROW = 30;
    private static final int CAPTION_CHARS = 150;

    private final List<HeadlineRatio> ratios;
    private final double low;
    private final double high;

    /**
     * @param ratios the rows, top to bottom
     */
    SummaryChart(List<HeadlineRatio> ratios) {
        this.ratios = List.copyOf(ratios);
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (HeadlineRatio ratio : ratios.stream().filter(r -> r.unit() == HeadlineRatio.Unit.RATIO).toList()) {
            for (double v : new double[] {ratio.value(), ratio.comparison() == HeadlineRatio.Comparison.NONE ? Double.NaN : ratio.target()}) {
                if (v > 0 && Double.isFinite(v)) {
                    min = Math.min(min, v);
                    max = Math.max(max, v);
                }
            }
        }
        if (min > max) {
            min = 1;
            max = 1;
        }
        this.low = Math.pow(10, Math.floor(Math.log10(min / 1.25)));
        this.high = Math.pow(10, Math.ceil(Math.log10(max * 1.25)));
    }

    /**
     * @param title   the chart's title
     * @param caption where and when it was measured; wrapped to fit
     * @return a standalone SVG document
     */
    String toSvg(String title, String caption) {
        List<String> captionLines = wrap(caption, CAPTION_CHARS);
        int axisY = TOP + ROW * ratios.size();
        int height = axisY + 50 + 16 * captionLines.size() + 10;
        StringBuilder svg = new StringBuilder();
        svg.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                + "viewBox=\"0 0 %d %d\" font-family=\"Helvetica, Arial, sans-serif\" font-size=\"12\">%n", WIDTH, height, WIDTH, height));
        svg.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", WIDTH, height));
        svg.append(text(WIDTH / 2, 22, "middle", "font-size=\"16\" font-weight=\"bold\"", title));
        svg.append(legend());
        gridAndAxis(svg, axisY);
        for (int i = 0; i < ratios.size(); i++) {
            row(svg, ratios.get(i), TOP + ROW * i);
        }
        for (int i = 0; i < captionLines.size(); i++) {
            svg.append(text(10, axisY + 50 + 16 * i, "start", "fill=\"#333\"", captionLines.get(i)));
        }
        svg.append("</svg>\n");
        return svg.toString();
    }

    /** Where a ratio lies on the logarithmic axis, clamped to it. */
    double x(double value) {
        double clamped = Math.max(low, Math.min(high, value));
        return PLOT_LEFT + (PLOT_RIGHT - PLOT_LEFT) * Math.log(clamped / low) / Math.log(high / low);
    }

    private void row(StringBuilder svg, HeadlineRatio ratio, int top) {
        int middle = top + ROW / 2;
        svg.append(text(LABEL_RIGHT, middle + 4, "end", "",
                ratio.benchCase().toUpperCase(Locale.ROOT) + "  " + ratio.name()
                        + (ratio.comparison() == HeadlineRatio.Comparison.NONE ? "" : "  (target " + ratio.targetText() + ")")));
        String colour = ratio.comparison() == HeadlineRatio.Comparison.NONE ? NO_TARGET : ratio.met() ? MET : NOT_MET;
        if (ratio.unit() != HeadlineRatio.Unit.RATIO) {
            svg.append(text(PLOT_LEFT + 4, middle + 4, "start", "class=\"difference\" font-weight=\"bold\" fill=\"" + colour + "\"",
                    Double.isNaN(ratio.value()) ? "not measured" : ratio.valueText()));
            return;
        }
        if (ratio.value() > 0 && Double.isFinite(ratio.value())) {
            double end = x(ratio.value());
            svg.append(String.format(Locale.ROOT, "<rect class=\"bar\" x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\">"
                    + "<title>%s</title></rect>%n", PLOT_LEFT, top + 7, Math.max(1, end - PLOT_LEFT), ROW - 14, colour,
                    escape(ratio.benchCase() + " " + ratio.name() + ": " + Format.ratio(ratio.value()))));
            svg.append(text((int) Math.round(end) + 4, middle + 4, "start", "font-weight=\"bold\"", Format.ratio(ratio.value())));
        } else {
            // no place on a logarithmic axis: NaN was not measured; 0 (or less) was, e.g. B7's fairness when a partition got nothing
            svg.append(text(PLOT_LEFT + 4, middle + 4, "start", "fill=\"" + (Double.isNaN(ratio.value()) ? NOT_MET : colour) + "\"",
                    Double.isNaN(ratio.value()) ? "not measured" : Format.ratio(ratio.value())));
        }
        if (ratio.comparison() != HeadlineRatio.Comparison.NONE) {
            double target = x(ratio.target());
            svg.append(String.format(Locale.ROOT, "<line class=\"target\" x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" "
                    + "stroke=\"black\" stroke-width=\"2\" stroke-dasharray=\"4,2\"/>%n", target, top + 2, target, top + ROW - 2));
        }
    }

    private void gridAndAxis(StringBuilder svg, int axisY) {
        for (double tick : ticks()) {
            double x = x(tick);
            svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"%s\"/>%n",
                    x, TOP, x, axisY, tick == 1.0 ? "#999" : "#e0e0e0"));
            svg.append(text((int) Math.round(x), axisY + 16, "middle", "", trim(tick)));
        }
        svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"black\"/>%n",
                PLOT_LEFT, axisY, PLOT_RIGHT, axisY));
        svg.append(text((PLOT_LEFT + PLOT_RIGHT) / 2, axisY + 34, "middle", "", "ratio (logarithmic scale)"));
    }

    /** 1, 2 and 5 times each power of ten within the axis. */
    List<Double> ticks() {
        List<Double> ticks = new ArrayList<>();
        for (double decade = low; decade <= high * 1.0001; decade *= 10) {
            for (double step : new double[] {1, 2, 5}) {
                double tick = decade * step;
                if (tick <= high * 1.0001) {
                    ticks.add(Double.parseDouble(String.format(Locale.ROOT, "%.6g", tick)));
                }
            }
        }
        return ticks;
    }

    private String legend() {
        StringBuilder legend = new StringBuilder();
        int x = PLOT_LEFT;
        for (String[] item : new String[][] {{MET, "target met"}, {NOT_MET, "target not met"}, {NO_TARGET, "no target"}}) {
            legend.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"34\" width=\"12\" height=\"12\" fill=\"%s\"/>%n", x, item[0]));
            legend.append(text(x + 16, 44, "start", "", item[1]));
            x += 110;
        }
        legend.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"33\" x2=\"%d\" y2=\"47\" stroke=\"black\" stroke-width=\"2\" "
                + "stroke-dasharray=\"4,2\"/>%n", x + 6, x + 6));
        legend.append(text(x + 14, 44, "start", "", "target"));
        return legend.toString();
    }

    private static String text(int x, int y, String anchor, String attributes, String content) {
        return String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"%s\"%s>%s</text>%n", x, y, anchor,
                attributes.isEmpty() ? "" : " " + attributes, escape(content));
    }

    private static String trim(double tick) {
        return tick >= 1 ? String.format(Locale.ROOT, "%.0f", tick) : String.valueOf(tick);
    }

    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;").replace("'", "&apos;");
    }

    static List<String> wrap(String text, int width) {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String word : text.split(" ")) {
            if (line.length() > 0 && line.length() + 1 + word.length() > width) {
                lines.add(line.toString());
                line.setLength(0);
            }
            line.append(line.length() > 0 ? " " : "").append(word);
        }
        if (line.length() > 0) {
            lines.add(line.toString());
        }
        return lines;
    }
}
