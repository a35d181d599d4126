package org.novnc.proxy.demo.internal;

/**
 * Where everything sits on a desktop of a given size: a header with the project name and the
 * connection badge, a clock panel and a text panel on the left, the canvas on the right, a footer of
 * hints. Panels have a title strip; their content areas are what input and damage refer to.
 */
record Layout(int width, int height, int margin, Rect header, Rect badge, Rect clockPanel, Rect clockDigits,
    Rect dateLine, Rect textPanel, Rect textArea, Rect canvasPanel, Rect canvasArea, Rect clearButton,
    Rect footer, int windowWidth, int windowHeight) {

  /** Height of a panel's title strip. */
  static final int TITLE = 30;
  /** Height of the draggable window's title bar. */
  static final int WINDOW_TITLE = 30;
  /** Clock characters: HH:MM:SS. */
  static final int CLOCK_CHARS = 8;
  /** Width of a digit cell and a colon cell, in digit heights. */
  static final double DIGIT_WIDTH = 0.56;
  static final double COLON_WIDTH = 0.28;

  static Layout of(int w, int h) {
    int m = clamp(w / 54, 8, 24);
    int headerH = clamp(h / 12, 44, 68);
    int footerH = clamp(h / 22, 26, 40);
    Rect header = new Rect(0, 0, w, headerH);
    int badgeW = clamp(w / 6, 150, 210);
    Rect badge = new Rect(Math.max(0, w - m - badgeW), (headerH - 30) / 2, badgeW, 30);
    int top = headerH + m;
    int bottom = Math.max(top + 60, h - footerH - m / 2);
    int leftW = clamp((int) (w * 0.36), 180, 480);
    int pad = 14;

    int clockH = clamp((bottom - top) * 2 / 5, 90, 210);
    Rect clockPanel = new Rect(m, top, leftW, clockH);
    int digitsMaxW = leftW - 2 * pad;
    int digitH = (int) Math.min(digitsMaxW / (6 * DIGIT_WIDTH + 2 * COLON_WIDTH), clockH - TITLE - 40);
    digitH = Math.max(12, digitH);
    int digitsW = (int) (digitH * (6 * DIGIT_WIDTH + 2 * COLON_WIDTH));
    Rect clockDigits = new Rect(m + (leftW - digitsW) / 2, top + TITLE + 6, digitsW, digitH);
    Rect dateLine = new Rect(m + pad, clockDigits.bottom() + 6, leftW - 2 * pad, 24);

    Rect textPanel = Rect.ofBounds(m, clockPanel.bottom() + m, m + leftW, Math.max(clockPanel.bottom() + m + TITLE + 20, bottom));
    Rect textArea = Rect.ofBounds(textPanel.x() + pad, textPanel.y() + TITLE + 4, textPanel.right() - pad,
        textPanel.bottom() - pad);

    Rect canvasPanel = Rect.ofBounds(2 * m + leftW, top, Math.max(2 * m + leftW + 40, w - m), bottom);
    Rect canvasArea = Rect.ofBounds(canvasPanel.x() + pad, canvasPanel.y() + TITLE + 4, canvasPanel.right() - pad,
        canvasPanel.bottom() - pad);
    Rect clearButton = new Rect(canvasPanel.right() - pad - 64, canvasPanel.y() + 5, 64, 22);
    Rect footer = new Rect(0, h - footerH, w, footerH);
    int ww = clamp(w * 3 / 10, 200, 380);
    int wh = clamp(h * 27 / 100, 120, 210);
    return new Layout(w, h, m, header, badge, clockPanel, clockDigits, dateLine, textPanel, textArea, canvasPanel,
        canvasArea, clearButton, footer, Math.min(ww, w), Math.min(wh, h));
  }

  /** The cell of clock character {@code i} (0..7 of HH:MM:SS). */
  Rect clockChar(int i) {
    int dh = clockDigits.h();
    int dw = (int) (dh * DIGIT_WIDTH);
    int cw = (int) (dh * COLON_WIDTH);
    int x = clockDigits.x();
    for (int k = 0; k < i; k++) {
      x += isColon(k) ? cw : dw;
    }
    return new Rect(x, clockDigits.y(), isColon(i) ? cw : dw, dh);
  }

  static boolean isColon(int i) {
    return i == 2 || i == 5;
  }

  Rect bounds() {
    return new Rect(0, 0, width, height);
  }

  private static int clamp(int v, int lo, int hi) {
    return Math.max(lo, Math.min(hi, v));
  }
}
