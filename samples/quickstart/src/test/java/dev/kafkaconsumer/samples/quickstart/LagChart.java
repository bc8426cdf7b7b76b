package dev.kafkaconsumer.samples.quickstart;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import tools.jackson.databind.JsonNode;

/**
 * Draws series that Prometheus returned for a range query as an SVG chart: one panel per series, stacked, on one
 * time axis in seconds from the first point, with a shaded band for a phase of the run. What the README shows of
 * a live run ({@link QuickstartPrometheusLiveTests}); nothing here computes a value, it only plots what was queried.
 */
final class LagChart {

    private static final int WIDTH = 900;

    private static final int PANEL_HEIGHT = 220;

    private static final int LEFT = 80;

    private static final int RIGHT = 20;

    private static final int TOP = 40;

    private static final int GAP = 50;

    private final long start;

    private final long end;

    private final StringBuilder panels = new StringBuilder();

    private int count;

    /**
     * A chart from {@code start} to {@code end}.
     *
     * @param start epoch seconds of the left edge
     * @param end   epoch seconds of the right edge
     */
    LagChart(long start, long end) {
        this.start = start;
        this.end = end;
    }

    /**
     * Adds a panel.
     *
     * @param title  its title, with the query
     * @param unit   the unit of the values
     * @param values the {@code values} of one series of a range query: pairs of epoch seconds and a value as text
     * @param band   epoch seconds where the shaded phase begins and ends
     * @param label  the phase's label
     * @return this chart
     */
    LagChart panel(String title, String unit, JsonNode values, long[] band, String label) {
        List<double[]> points = new ArrayList<>();
        values.forEach((pair) -> points.add(new double[] { pair.get(0).asDouble(), Double.parseDouble(pair.get(1).asString()) }));
        double max = niceCeiling(points.stream().mapToDouble((point) -> point[1]).max().orElse(1));
        int top = TOP + this.count * (PANEL_HEIGHT + GAP);
        int bottom = top + PANEL_HEIGHT;
        StringBuilder svg = this.panels;
        svg.append(format("<text x='%d' y='%d' font-weight='bold'>%s</text>%n", LEFT, top - 10, escape(title)));
        svg.append(format("<rect x='%.1f' y='%d' width='%.1f' height='%d' fill='#fde8d8'/>%n", x(band[0]), top,
                x(band[1]) - x(band[0]), PANEL_HEIGHT));
        svg.append(format("<text x='%.1f' y='%d' fill='#b5561c' font-size='12'>%s</text>%n", x(band[0]) + 4, top + 14,
                escape(label)));
        for (int i = 0; i <= 4; i++) {
            double value = max * i / 4;
            double y = bottom - PANEL_HEIGHT * i / 4.0;
            svg.append(format("<line x1='%d' y1='%.1f' x2='%d' y2='%.1f' stroke='#ddd'/>%n", LEFT, y, WIDTH - RIGHT, y));
            svg.append(format("<text x='%d' y='%.1f' text-anchor='end' font-size='12'>%s</text>%n", LEFT - 6, y + 4,
                    axis(value)));
        }
        for (long t = 0; t <= this.end - this.start; t += 30) {
            double x = x(this.start + t);
            svg.append(format("<line x1='%.1f' y1='%d' x2='%.1f' y2='%d' stroke='#ddd'/>%n", x, top, x, bottom));
            svg.append(format("<text x='%.1f' y='%d' text-anchor='middle' font-size='12'>%ds</text>%n", x, bottom + 16, t));
        }
        svg.append(format("<text x='%d' y='%d' font-size='12' transform='rotate(-90 %d %d)' text-anchor='middle'>%s</text>%n",
                16, top + PANEL_HEIGHT / 2, 16, top + PANEL_HEIGHT / 2, escape(unit)));
        StringBuilder line = new StringBuilder();
        for (double[] point : points) {
            line.append(format("%.1f,%.1f ", x((long) point[0]), bottom - PANEL_HEIGHT * point[1] / max));
        }
        svg.append(format("<polyline fill='none' stroke='#1f77b4' stroke-width='2' points='%s'/>%n", line.toString().trim()));
        svg.append(format("<rect x='%d' y='%d' width='%d' height='%d' fill='none' stroke='#888'/>%n", LEFT, top,
                WIDTH - LEFT - RIGHT, PANEL_HEIGHT));
        this.count++;
        return this;
    }

    /**
     * The chart.
     *
     * @return an SVG document
     */
    String svg() {
        int height = TOP + this.count * (PANEL_HEIGHT + GAP);
        return format("<svg xmlns='http://www.w3.org/2000/svg' width='%d' height='%d' font-family='sans-serif' "
                + "font-size='14'>%n<rect width='100%%' height='100%%' fill='white'/>%n%s</svg>%n", WIDTH, height,
                this.panels);
    }

    private double x(long epochSeconds) {
        return LEFT + (WIDTH - LEFT - RIGHT) * (double) (epochSeconds - this.start) / Math.max(1, this.end - this.start);
    }

    /** The smallest of 1, 2 or 5 times a power of ten at or above the value. */
    private static double niceCeiling(double value) {
        double power = Math.pow(10, Math.floor(Math.log10(Math.max(value, 1))));
        for (double step : new double[] { 1, 2, 5, 10 }) {
            if (step * power >= value) {
                return step * power;
            }
        }
        return 10 * power;
    }

    private static String axis(double value) {
        return (value >= 1000) ? format("%,.0f", value) : format("%.4g", value).replaceAll("\\.?0+$", "");
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static String format(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }
}
