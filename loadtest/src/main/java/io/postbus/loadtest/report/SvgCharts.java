package io.postbus.loadtest.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Two small hand-drawn SVG line charts, enough for a report read in a browser or on GitHub:
 * throughput over time (accepts and deliveries per second, per system) and the end-to-end
 * latency percentile curve (x: percentile on the "number of nines" scale, as HdrHistogram plots
 * it, so the tail gets room; y: milliseconds).
 */
public final class SvgCharts {

    private static final int W = 720;
    private static final int H = 360;
    private static final int LEFT = 64;
    private static final int RIGHT = 150;
    private static final int TOP = 30;
    private static final int BOTTOM = 44;
    private static final String[] COLOURS = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd"};

    private SvgCharts() {}

    /** A named polyline in data coordinates. */
    record Series(String label, List<double[]> points, String colour, boolean dashed) { }

    public static String throughput(List<SystemResult> systems) {
        List<Series> series = new ArrayList<>();
        for (int i = 0; i < systems.size(); i++) {
            SystemResult s = systems.get(i);
            String colour = COLOURS[i % COLOURS.length];
            series.add(new Series(s.system() + " accepted", buckets(s.accepts()), colour, false));
            series.add(new Series(s.system() + " delivered", buckets(s.deliveries()), colour, true));
        }
        return chart("Throughput (messages per second)", "seconds since start", "msg/s", series, false);
    }

    public static String latency(List<SystemResult> systems) {
        List<Series> series = new ArrayList<>();
        for (int i = 0; i < systems.size(); i++) {
            SystemResult s = systems.get(i);
            List<double[]> pts = new ArrayList<>();
            for (double[] p : s.endToEnd().curve()) {
                pts.add(new double[] {nines(p[0]), p[1]});
            }
            series.add(new Series(s.system() + " end-to-end", pts, COLOURS[i % COLOURS.length], false));
        }
        return chart("End-to-end latency by percentile", "percentile", "ms", series, true);
    }

    /** Percentile → log10(1 / (1 - p/100)): 50 → 0.3, 90 → 1, 99 → 2, 99.9 → 3; capped at 5 for 100. */
    static double nines(double percentile) {
        return percentile >= 99.999 ? 5 : Math.log10(100.0 / (100.0 - percentile));
    }

    private static List<double[]> buckets(List<Long> counts) {
        List<double[]> pts = new ArrayList<>();
        for (int i = 0; i < counts.size(); i++) {
            pts.add(new double[] {i + 0.5, counts.get(i)});
        }
        return pts;
    }

    private static String chart(String title, String xLabel, String yLabel, List<Series> series, boolean ninesAxis) {
        double xMax = 1;
        double yMax = 1;
        for (Series s : series) {
            for (double[] p : s.points()) {
                xMax = Math.max(xMax, p[0]);
                yMax = Math.max(yMax, p[1]);
            }
        }
        yMax = niceCeiling(yMax);
        if (ninesAxis) {
            xMax = 5;
        }
        int pw = W - LEFT - RIGHT;
        int ph = H - TOP - BOTTOM;
        StringBuilder svg = new StringBuilder();
        svg.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(W).append("\" height=\"").append(H)
                .append("\" viewBox=\"0 0 ").append(W).append(' ').append(H).append("\" font-family=\"sans-serif\" font-size=\"11\">\n");
        svg.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        svg.append(text(LEFT, 18, escape(title), "start", 13));
        svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#999\"/>%n",
                LEFT, TOP, pw, ph));
        for (int i = 0; i <= 4; i++) {
            double v = yMax * i / 4;
            double y = TOP + ph - ph * (double) i / 4;
            svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#eee\"/>%n", LEFT, y, LEFT + pw, y));
            svg.append(text(LEFT - 6, y + 4, label(v), "end", 11));
        }
        if (ninesAxis) {
            String[] names = {"0%", "90%", "99%", "99.9%", "99.99%", "max"};
            for (int i = 0; i <= 5; i++) {
                double x = LEFT + pw * i / 5.0;
                svg.append(text(x, TOP + ph + 16, names[i], "middle", 11));
            }
        } else {
            for (int i = 0; i <= 5; i++) {
                double v = xMax * i / 5;
                svg.append(text(LEFT + pw * i / 5.0, TOP + ph + 16, label(v), "middle", 11));
            }
        }
        svg.append(text(LEFT + pw / 2.0, H - 8, escape(xLabel), "middle", 11));
        svg.append(text(12, TOP - 8, escape(yLabel), "start", 11));
        int legendY = TOP + 10;
        for (Series s : series) {
            StringBuilder pts = new StringBuilder();
            for (double[] p : s.points()) {
                double x = LEFT + pw * Math.min(p[0], xMax) / xMax;
                double y = TOP + ph - ph * Math.min(p[1], yMax) / yMax;
                pts.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
            }
            String dash = s.dashed() ? " stroke-dasharray=\"5,3\"" : "";
            svg.append("<polyline fill=\"none\" stroke=\"").append(s.colour()).append("\" stroke-width=\"1.5\"").append(dash)
                    .append(" points=\"").append(pts.toString().trim()).append("\"/>\n");
            svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" stroke-width=\"2\"%s/>%n",
                    LEFT + pw + 10, legendY, LEFT + pw + 30, legendY, s.colour(), dash));
            svg.append(text(LEFT + pw + 34, legendY + 4, escape(s.label()), "start", 11));
            legendY += 16;
        }
        svg.append("</svg>\n");
        return svg.toString();
    }

    private static String text(double x, double y, String s, String anchor, int size) {
        return String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\" font-size=\"%d\">%s</text>%n", x, y, anchor, size, s);
    }

    private static String label(double v) {
        return v >= 100 || v == Math.rint(v) ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.1f", v);
    }

    /** 1, 2 or 5 times a power of ten, at least {@code v}. */
    static double niceCeiling(double v) {
        double p = Math.pow(10, Math.floor(Math.log10(v)));
        for (double m : new double[] {1, 2, 5, 10}) {
            if (m * p >= v) {
                return m * p;
            }
        }
        return 10 * p;
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
