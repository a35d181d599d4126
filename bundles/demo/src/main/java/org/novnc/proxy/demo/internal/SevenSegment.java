package org.novnc.proxy.demo.internal;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.geom.Ellipse2D;
import java.awt.geom.RoundRectangle2D;

/** Big clock digits drawn as seven rounded segments (no font needed), unlit segments faintly shown. */
final class SevenSegment {
  // segments a b c d e f g, bit 0 = a
  private static final int[] DIGITS = {
      0b0111111, 0b0000110, 0b1011011, 0b1001111, 0b1100110,
      0b1101101, 0b1111101, 0b0000111, 0b1111111, 0b1101111,
  };

  private SevenSegment() {}

  /** Draws character {@code c} (a digit or ':') into the cell {@code r}. */
  static void draw(Graphics2D g, Rect r, char c, Color on, Color off) {
    double t = Math.max(2, r.h() / 10.0);
    if (c == ':') {
      double d = t * 1.25;
      double cx = r.x() + r.w() / 2.0;
      g.setColor(on);
      g.fill(new Ellipse2D.Double(cx - d / 2, r.y() + r.h() * 0.32 - d / 2, d, d));
      g.fill(new Ellipse2D.Double(cx - d / 2, r.y() + r.h() * 0.70 - d / 2, d, d));
      return;
    }
    int lit = c >= '0' && c <= '9' ? DIGITS[c - '0'] : 0;
    double left = r.x() + r.w() * 0.12;
    double right = r.x() + r.w() * 0.88;
    double top = r.y() + r.h() * 0.04;
    double bottom = r.y() + r.h() * 0.96;
    double mid = (top + bottom) / 2;
    double gap = t * 0.6;
    double[][] segments = {
        {left + gap, top, right - left - 2 * gap, t}, // a
        {right - t, top + gap, t, mid - top - 2 * gap + t / 2}, // b
        {right - t, mid + gap - t / 2, t, bottom - mid - 2 * gap + t / 2}, // c
        {left + gap, bottom - t, right - left - 2 * gap, t}, // d
        {left, mid + gap - t / 2, t, bottom - mid - 2 * gap + t / 2}, // e
        {left, top + gap, t, mid - top - 2 * gap + t / 2}, // f
        {left + gap, mid - t / 2, right - left - 2 * gap, t}, // g
    };
    for (int s = 0; s < 7; s++) {
      double[] b = segments[s];
      g.setColor((lit & (1 << s)) != 0 ? on : off);
      g.fill(new RoundRectangle2D.Double(b[0], b[1], b[2], b[3], t, t));
    }
  }
}
