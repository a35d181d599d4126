package org.novnc.proxy.demo.internal;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.image.BufferedImage;

/**
 * What every viewer has drawn: a transparent layer over the canvas area, one pen colour per viewer.
 * Coordinates are the desktop's; the layer keeps its drawing when the area changes size.
 */
final class SharedCanvas {
  private static final Color[] PENS = {
      new Color(0xe4, 0x57, 0x2e), new Color(0x2e, 0x86, 0xab), new Color(0x76, 0xb0, 0x41),
      new Color(0xa2, 0x3b, 0x72), new Color(0xf1, 0x8f, 0x01), new Color(0x17, 0xbe, 0xbb),
      new Color(0x3b, 0x1f, 0x2b), new Color(0x6a, 0x4c, 0x93)};
  private static final float PEN_WIDTH = 4f;

  private Rect area = Rect.EMPTY;
  private BufferedImage layer = blank(1, 1);

  private static BufferedImage blank(int w, int h) {
    return new BufferedImage(Math.max(1, w), Math.max(1, h), BufferedImage.TYPE_INT_ARGB);
  }

  /** Moves the layer to a new area, keeping what was drawn (cropped to the new size). */
  void place(Rect newArea) {
    BufferedImage old = layer;
    area = newArea;
    layer = blank(newArea.w(), newArea.h());
    Graphics2D g = layer.createGraphics();
    g.drawImage(old, 0, 0, null);
    g.dispose();
  }

  BufferedImage layer() {
    return layer;
  }

  void clear() {
    layer = blank(area.w(), area.h());
  }

  /**
   * Draws a segment (a dot when both ends are one point) in pen {@code pen}.
   *
   * @return the desktop rectangle that changed
   */
  Rect stroke(int pen, int x0, int y0, int x1, int y1) {
    Graphics2D g = layer.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      g.setColor(PENS[Math.floorMod(pen, PENS.length)]);
      g.translate(-area.x(), -area.y());
      if (x0 == x1 && y0 == y1) {
        g.fill(new Ellipse2D.Float(x0 - PEN_WIDTH / 2, y0 - PEN_WIDTH / 2, PEN_WIDTH, PEN_WIDTH));
      } else {
        g.setStroke(new BasicStroke(PEN_WIDTH, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        g.draw(new Line2D.Float(x0, y0, x1, y1));
      }
    } finally {
      g.dispose();
    }
    int pad = (int) PEN_WIDTH + 2;
    return Rect.ofBounds(Math.min(x0, x1) - pad, Math.min(y0, y1) - pad, Math.max(x0, x1) + pad,
        Math.max(y0, y1) + pad).intersect(area);
  }
}
