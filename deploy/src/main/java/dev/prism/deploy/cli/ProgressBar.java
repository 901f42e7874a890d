package dev.prism.deploy.cli;

import java.io.PrintStream;

/** A one-line progress bar, drawn only on a terminal (plain lines otherwise, so logs stay readable). */
final class ProgressBar {

    private final PrintStream out;
    private final boolean tty;
    private String lastPlain = "";

    ProgressBar(PrintStream out) {
        this.out = out;
        this.tty = System.console() != null;
    }

    void update(String label, double fraction, String detail) {
        int pct = (int) Math.round(Math.max(0, Math.min(1, fraction)) * 100);
        if (tty) {
            int filled = pct * 30 / 100;
            out.printf("\r%-10s [%s%s] %3d%% %-40.40s", label, "#".repeat(filled), ".".repeat(30 - filled), pct, detail);
            out.flush();
        } else {
            String plain = label + " " + (pct / 10 * 10) + "% " + detail;
            if (!plain.equals(lastPlain)) {
                out.println(plain);
                lastPlain = plain;
            }
        }
    }

    void done() {
        if (tty) out.println();
    }
}
