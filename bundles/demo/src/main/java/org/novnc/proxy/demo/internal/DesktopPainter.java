package org.novnc.proxy.demo.internal;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Shape;
import java.awt.geom.Ellipse2D;
import java.awt.geom.RoundRectangle2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Draws the demo desktop with Java2D. The whole scene is painted back to front under the caller's
 * clip, so repainting any rectangle is always right, whatever overlaps it. Text needs the platform's
 * fonts; where they cannot be loaded the desktop is drawn without text (one warning).
 */
final class DesktopPainter {
  private static final Logger LOG = LoggerFactory.getLogger(DesktopPainter.class);
  static final Color TOP = new Color(0x24, 0x3b, 0x55);
  static final Color BOTTOM = new Color(0x14, 0x1e, 0x30);
  private static final Color ACCENT = new Color(0x7f, 0xe3, 0xff);
  private static final Color MUTED = new Color(0xa9, 0xb8, 0xd0);
  private static final Color PANEL = new Color(255, 255, 255, 18);
  private static final Color PANEL_BORDER = new Color(255, 255, 255, 36);
  private static final Color PAPER = new Color(0xfd, 0xfc, 0xf7);
  private static final Color GRID = new Color(0xee, 0xec, 0xe2);
  private static final int SHADOW_SPREAD = 8;
  private static final int SHADOW_DROP = 3;
  /** How far the window's shadow reaches beyond it (one more pixel for antialiased edges). */
  static final int SHADOW = SHADOW_SPREAD + SHADOW_DROP + 1;

  private final Font title = new Font(Font.SANS_SERIF, Font.BOLD, 26);
  private final Font subtitle = new Font(Font.SANS_SERIF, Font.PLAIN, 15);
  private final Font label = new Font(Font.SANS_SERIF, Font.BOLD, 12);
  private final Font body = new Font(Font.SANS_SERIF, Font.PLAIN, 14);
  private final Font hint = new Font(Font.SANS_SERIF, Font.ITALIC, 18);
  private final Font mono = new Font(Font.MONOSPACED, Font.PLAIN, 16);
  private final Font small = new Font(Font.SANS_SERIF, Font.ITALIC, 15);
  private boolean textWorks = true;

  /** What is on the desktop at the moment of painting. */
  record Scene(Layout layout, String clock, String date, int connections, String text, BufferedImage canvas,
      Rect window, BufferedImage windowSurface, String name) {}

  void paint(Graphics2D g, Scene s) {
    Layout l = s.layout();
    hints(g);
    g.setPaint(new GradientPaint(0, 0, TOP, 0, l.height(), BOTTOM));
    g.fillRect(0, 0, l.width(), l.height());
    header(g, s);
    clockPanel(g, s);
    textPanel(g, s);
    canvasPanel(g, s);
    footer(g, s);
    Rect w = s.window();
    g.setColor(new Color(0, 0, 0, 22));
    for (int i = SHADOW_SPREAD; i >= 2; i -= 2) {
      g.fill(new RoundRectangle2D.Double(w.x() - i, w.y() - i + SHADOW_DROP, w.w() + 2 * i, w.h() + 2 * i, 2 * i,
          2 * i));
    }
    g.drawImage(s.windowSurface(), w.x(), w.y(), null);
  }

  private static void hints(Graphics2D g) {
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setRenderingHint(RenderingHints.KEY_FRACTIONALMETRICS, RenderingHints.VALUE_FRACTIONALMETRICS_OFF);
  }

  private void header(Graphics2D g, Scene s) {
    Layout l = s.layout();
    Rect h = l.header();
    g.setColor(new Color(0, 0, 0, 60));
    g.fillRect(h.x(), h.y(), h.w(), h.h());
    g.setColor(new Color(255, 255, 255, 22));
    g.fillRect(h.x(), h.bottom() - 1, h.w(), 1);
    // a small monitor: the project's mark
    int iy = (h.h() - 26) / 2;
    int ix = l.margin();
    g.setPaint(new GradientPaint(ix, iy, ACCENT, ix + 34, iy + 26, new Color(0x4f, 0x8c, 0xff)));
    g.fill(new RoundRectangle2D.Double(ix, iy, 34, 22, 7, 7));
    g.fillRect(ix + 14, iy + 22, 6, 4);
    g.fillRect(ix + 9, iy + 25, 16, 2);
    g.setColor(new Color(0x14, 0x1e, 0x30));
    g.fill(new RoundRectangle2D.Double(ix + 4, iy + 4, 26, 14, 4, 4));
    int baseline = h.h() / 2 + 9;
    int x = ix + 48;
    x = text(g, title, Color.WHITE, "novnc-proxy", x, baseline) + 14;
    String sub = "demo desktop \u00b7 an RFB 3.8 server inside Apache Karaf";
    if (textWorks && x + width(g, subtitle, sub) < l.badge().x() - 16) {
      text(g, subtitle, MUTED, sub, x, baseline);
    }
    Rect b = l.badge();
    g.setColor(new Color(255, 255, 255, 26));
    g.fill(new RoundRectangle2D.Double(b.x(), b.y(), b.w(), b.h(), b.h(), b.h()));
    g.setColor(new Color(0x3d, 0xdc, 0x84));
    g.fill(new Ellipse2D.Double(b.x() + 12, b.y() + b.h() / 2.0 - 5, 10, 10));
    int n = s.connections();
    Shape clip = clipTo(g, b);
    text(g, body, Color.WHITE, n + (n == 1 ? " connection" : " connections"), b.x() + 30, b.y() + b.h() / 2 + 5);
    g.setClip(clip);
  }

  private void panel(Graphics2D g, Rect r, String caption) {
    g.setColor(PANEL);
    g.fill(new RoundRectangle2D.Double(r.x(), r.y(), r.w(), r.h(), 16, 16));
    g.setColor(PANEL_BORDER);
    g.setStroke(new BasicStroke(1f));
    g.draw(new RoundRectangle2D.Double(r.x() + 0.5, r.y() + 0.5, r.w() - 1, r.h() - 1, 16, 16));
    g.setColor(ACCENT);
    g.fillRect(r.x() + 14, r.y() + 10, 3, 12);
    text(g, label, MUTED, caption, r.x() + 24, r.y() + 21);
  }

  private void clockPanel(Graphics2D g, Scene s) {
    Layout l = s.layout();
    panel(g, l.clockPanel(), "CLOCK");
    Color off = new Color(255, 255, 255, 14);
    for (int i = 0; i < Layout.CLOCK_CHARS && i < s.clock().length(); i++) {
      SevenSegment.draw(g, l.clockChar(i), s.clock().charAt(i), ACCENT, off);
    }
    Rect d = l.dateLine();
    Shape clip = clipTo(g, d);
    centred(g, subtitle, MUTED, s.date(), d);
    g.setClip(clip);
  }

  private void textPanel(Graphics2D g, Scene s) {
    Layout l = s.layout();
    panel(g, l.textPanel(), "TYPE HERE");
    Rect a = l.textArea();
    g.setColor(new Color(0x0b, 0x11, 0x1e, 200));
    g.fill(new RoundRectangle2D.Double(a.x(), a.y(), a.w(), a.h(), 10, 10));
    if (textWorks) {
      try {
        Shape clip = clipTo(g, a);
        typed(g, s.text(), a);
        g.setClip(clip);
      } catch (RuntimeException | LinkageError | InternalError e) {
        noText(e);
      }
    }
  }

  private void typed(Graphics2D g, String typed, Rect a) {
    FontMetrics fm = g.getFontMetrics(mono);
    int lineH = fm.getHeight();
    int pad = 10;
    if (typed.isEmpty()) {
      text(g, small, new Color(0x5c, 0x6b, 0x85), "type here", a.x() + pad + 8,
          a.y() + pad + fm.getAscent());
    }
    List<String> lines = wrap(typed, fm, a.w() - 2 * pad);
    int fit = Math.max(1, (a.h() - 2 * pad) / lineH);
    int first = Math.max(0, lines.size() - fit);
    int y = a.y() + pad + fm.getAscent();
    String last = "";
    for (int i = first; i < lines.size(); i++) {
      last = lines.get(i);
      text(g, mono, new Color(0xe8, 0xee, 0xf8), last, a.x() + pad, y);
      y += lineH;
    }
    int caretX = a.x() + pad + fm.stringWidth(last);
    int caretY = y - lineH;
    g.setColor(ACCENT);
    g.fillRect(caretX + 1, caretY - fm.getAscent() + 2, Math.max(2, fm.charWidth('m') / 2), fm.getAscent());
  }

  /** Wraps a paragraph at spaces to {@code width}; an empty paragraph is one empty line. */
  static List<String> wrapWords(String paragraph, FontMetrics fm, int width) {
    List<String> lines = new ArrayList<>();
    StringBuilder line = new StringBuilder();
    for (String word : paragraph.split(" ")) {
      String candidate = line.length() == 0 ? word : line + " " + word;
      if (fm.stringWidth(candidate) > width && line.length() > 0) {
        lines.add(line.toString());
        line.setLength(0);
        line.append(word);
      } else {
        line.setLength(0);
        line.append(candidate);
      }
    }
    lines.add(line.toString());
    return lines;
  }

  private int width(Graphics2D g, Font font, String s) {
    try {
      return g.getFontMetrics(font).stringWidth(s);
    } catch (RuntimeException | LinkageError | InternalError e) {
      noText(e);
      return 0;
    }
  }

  /** Splits text at newlines and wraps it to {@code width}; never returns an empty list. */
  static List<String> wrap(String text, FontMetrics fm, int width) {
    List<String> lines = new ArrayList<>();
    for (String paragraph : text.split("\n", -1)) {
      StringBuilder line = new StringBuilder();
      int w = 0;
      for (int i = 0; i < paragraph.length();) {
        int cp = paragraph.codePointAt(i);
        int cw = fm.charWidth(cp);
        if (w + cw > width && line.length() > 0) {
          lines.add(line.toString());
          line.setLength(0);
          w = 0;
        }
        line.appendCodePoint(cp);
        w += cw;
        i += Character.charCount(cp);
      }
      lines.add(line.toString());
    }
    return lines;
  }

  private void canvasPanel(Graphics2D g, Scene s) {
    Layout l = s.layout();
    panel(g, l.canvasPanel(), "DRAW HERE \u00b7 SHARED BY EVERY VIEWER");
    Rect c = l.clearButton();
    g.setColor(new Color(255, 255, 255, 30));
    g.fill(new RoundRectangle2D.Double(c.x(), c.y(), c.w(), c.h(), 11, 11));
    centred(g, label, Color.WHITE, "clear", c);
    Rect a = l.canvasArea();
    g.setColor(PAPER);
    g.fillRect(a.x(), a.y(), a.w(), a.h());
    g.setColor(GRID);
    for (int x = a.x() + 24; x < a.right(); x += 24) {
      g.fillRect(x, a.y(), 1, a.h());
    }
    for (int y = a.y() + 24; y < a.bottom(); y += 24) {
      g.fillRect(a.x(), y, a.w(), 1);
    }
    Shape clip = clipTo(g, a);
    centred(g, hint, new Color(0xc9, 0xc5, 0xb5), "draw here: hold the left button and move", a);
    g.drawImage(s.canvas(), a.x(), a.y(), null);
    g.setClip(clip);
  }

  private void footer(Graphics2D g, Scene s) {
    Layout l = s.layout();
    Rect f = l.footer();
    int baseline = f.y() + f.h() / 2 + 5;
    text(g, body, MUTED, "drag the window by its title bar \u00b7 draw on the canvas \u00b7 type anywhere",
        l.margin(), baseline);
    String right = s.name() + "  \u00b7  " + l.width() + "\u00d7" + l.height();
    if (textWorks) {
      try {
        int w = g.getFontMetrics(body).stringWidth(right);
        text(g, body, new Color(0x8f, 0xa3, 0xc0), right, l.width() - l.margin() - w, baseline);
      } catch (RuntimeException | LinkageError | InternalError e) {
        noText(e);
      }
    }
  }

  /** The draggable window, drawn once: it looks the same wherever it is, so a move can be a copy. */
  BufferedImage windowSurface(int w, int h) {
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    try {
      hints(g);
      g.setColor(new Color(0xf7, 0xf8, 0xfc));
      g.fillRect(0, 0, w, h);
      int t = Layout.WINDOW_TITLE;
      g.setPaint(new GradientPaint(0, 0, new Color(0xff, 0x7e, 0x5f), w, 0, new Color(0xfe, 0xb4, 0x7b)));
      g.fillRect(0, 0, w, t);
      Color[] lights = {new Color(0xff, 0x5f, 0x57), new Color(0xfe, 0xbc, 0x2e), new Color(0x28, 0xc8, 0x40)};
      for (int i = 0; i < 3; i++) {
        g.setColor(lights[i]);
        g.fill(new Ellipse2D.Double(10 + i * 18, t / 2.0 - 6, 12, 12));
      }
      centred(g, label.deriveFont(14f), Color.WHITE, "drag me", new Rect(0, 0, w, t));
      int x = 16;
      int y = t + 28;
      text(g, title.deriveFont(18f), new Color(0x24, 0x3b, 0x55), "novnc-proxy", x, y);
      String[] paragraphs = {
          "Drag this window by its title bar. Viewers that speak CopyRect get each move as a copy of "
              + "pixels they already have, not as new pixels.",
          "",
          "Encodings: Raw, CopyRect, Hextile, ZRLE, Tight (JPEG when asked)."};
      Color ink = new Color(0x4a, 0x55, 0x68);
      if (textWorks) {
        try {
          FontMetrics fm = g.getFontMetrics(body);
          for (String paragraph : paragraphs) {
            for (String line : wrapWords(paragraph, fm, w - 2 * x)) {
              y += 20;
              if (y > h - 8) {
                break;
              }
              text(g, body, ink, line, x, y);
            }
          }
        } catch (RuntimeException | LinkageError | InternalError e) {
          noText(e);
        }
      }
      g.setColor(new Color(0, 0, 0, 60));
      g.drawRect(0, 0, w - 1, h - 1);
    } finally {
      g.dispose();
    }
    return img;
  }

  /**
   * Narrows the clip to {@code r} (what changes there is repainted as {@code r}, so nothing drawn for
   * it may spill out); returns the clip to restore.
   */
  private static Shape clipTo(Graphics2D g, Rect r) {
    Shape old = g.getClip();
    g.clipRect(r.x(), r.y(), r.w(), r.h());
    return old;
  }

  private void centred(Graphics2D g, Font font, Color colour, String s, Rect r) {
    if (!textWorks) {
      return;
    }
    try {
      FontMetrics fm = g.getFontMetrics(font);
      int x = r.x() + (r.w() - fm.stringWidth(s)) / 2;
      int y = r.y() + (r.h() - fm.getHeight()) / 2 + fm.getAscent();
      text(g, font, colour, s, x, y);
    } catch (RuntimeException | LinkageError | InternalError e) {
      noText(e);
    }
  }

  /** Draws a string; returns the x just after it. */
  private int text(Graphics2D g, Font font, Color colour, String s, int x, int y) {
    if (!textWorks) {
      return x;
    }
    try {
      g.setFont(font);
      g.setColor(colour);
      g.drawString(s, x, y);
      return x + g.getFontMetrics().stringWidth(s);
    } catch (RuntimeException | LinkageError | InternalError e) {
      noText(e);
      return x;
    }
  }

  private void noText(Throwable e) {
    textWorks = false;
    LOG.warn("Fonts cannot be used here ({}); the demo desktop is drawn without text", e.toString());
  }
}
