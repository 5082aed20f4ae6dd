package org.segmentcells.fiji;

import ij.gui.Plot;
import ij.gui.PlotWindow;
import ij.macro.Interpreter;

import java.awt.Color;
import java.awt.GraphicsEnvironment;
import java.util.ArrayList;
import java.util.List;

/**
 * The training curves of Fine-tune Model in one plot window, redrawn in place: E's loss, D's loss when
 * D is trained, and the validation F at each validated step. Fed by the runner's Trainer.Listener.
 */
final class LivePlot {

    /** Redrawing the plot costs far more than a step's bookkeeping; a few times a second is enough. */
    private static final long REDRAW_NANOS = 500_000_000L;

    private final String title;
    /** False only in tests, which cannot open a window. */
    private final boolean draw;
    private final List<double[]> e = new ArrayList<>();
    private final List<double[]> d = new ArrayList<>();
    private final List<double[]> f = new ArrayList<>();
    private PlotWindow window;
    private boolean closed;
    private long lastDraw;

    LivePlot(String title, boolean draw) {
        this.title = title;
        this.draw = draw;
    }

    /** A live plot, or null without a screen or in a batch-mode macro, where no window should open. */
    static LivePlot openIfShown(String title) {
        return GraphicsEnvironment.isHeadless() || Interpreter.isBatchMode() ? null : new LivePlot(title, true);
    }

    /** E's loss at {@code step}; {@code dLoss} is NaN when D was not updated. */
    void step(int step, double eLoss, double dLoss) {
        e.add(new double[] {step, eLoss});
        if (!Double.isNaN(dLoss)) {
            d.add(new double[] {step, dLoss});
        }
        redraw(false);
    }

    void validated(int step, double fScore) {
        f.add(new double[] {step, fScore});
        redraw(true);
    }

    /** Draws the last points, whatever the time since the last redraw. */
    void finish() {
        redraw(true);
    }

    private void redraw(boolean now) {
        long t = System.nanoTime();
        if (!draw || closed || (!now && window != null && t - lastDraw < REDRAW_NANOS)) {
            return;
        }
        lastDraw = t;
        Plot plot = build();
        if (window == null) {
            window = plot.show();
            closed = window == null; // shown as an image, not a window: nothing to update
        } else if (window.isVisible()) {
            window.drawPlot(plot);
        } else {
            closed = true; // the user closed it: do not open it again
        }
    }

    /** The plot of everything so far. */
    Plot build() {
        Plot plot = new Plot(title, "step", "loss / F");
        StringBuilder legend = new StringBuilder();
        addSeries(plot, e, Color.BLACK, "line", "E loss", legend);
        addSeries(plot, d, Color.RED, "line", "D loss", legend);
        addSeries(plot, f, Color.BLUE, "connected circle", "validation F", legend);
        if (legend.length() > 0) {
            plot.setColor(Color.BLACK);
            plot.addLegend(legend.toString().strip());
        }
        plot.setLimitsToFit(false);
        return plot;
    }

    private static void addSeries(Plot plot, List<double[]> points, Color colour, String shape, String name,
            StringBuilder legend) {
        if (points.isEmpty()) {
            return;
        }
        double[] x = new double[points.size()];
        double[] y = new double[points.size()];
        for (int i = 0; i < x.length; i++) {
            x[i] = points.get(i)[0];
            y[i] = points.get(i)[1];
        }
        plot.setColor(colour);
        plot.add(shape, x, y);
        legend.append(name).append('\n');
    }
}
