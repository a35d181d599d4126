package org.novnc.proxy.demo.internal;

import static org.novnc.proxy.demo.internal.RfbProtocol.HEXTILE_ANY_SUBRECTS;
import static org.novnc.proxy.demo.internal.RfbProtocol.HEXTILE_BACKGROUND;
import static org.novnc.proxy.demo.internal.RfbProtocol.HEXTILE_FOREGROUND;
import static org.novnc.proxy.demo.internal.RfbProtocol.HEXTILE_RAW;
import static org.novnc.proxy.demo.internal.RfbProtocol.HEXTILE_SUBRECTS_COLOURED;

import io.netty.buffer.ByteBuf;
import java.util.Arrays;

/**
 * Hextile (5), RFC 6143 §7.7.4: 16x16 tiles, left to right, top to bottom; each tile a mask byte then
 * either raw pixels or a background plus subrectangles (one foreground colour, or one colour each).
 * Background and foreground are carried over between tiles only after a tile that defined them;
 * after a raw tile both are sent again.
 */
final class HextileEncoder implements Encoder {
  private static final int TILE = 16;
  private final int[] tile = new int[TILE * TILE];
  private final int[] sorted = new int[TILE * TILE];
  private final boolean[] covered = new boolean[TILE * TILE];
  /** Subrectangles found in a tile: colour, x, y, w, h, five ints each. */
  private final int[] subrects = new int[TILE * TILE * 5];

  @Override
  public int type() {
    return RfbProtocol.ENC_HEXTILE;
  }

  @Override
  public int encode(Frame frame, Rect r, PixelFormat pf, ByteBuf out) {
    Encoder.header(out, r, RfbProtocol.ENC_HEXTILE);
    boolean bgKnown = false;
    boolean fgKnown = false;
    int bg = 0;
    int fg = 0;
    int bpp = pf.bytesPerPixel();
    for (int ty = r.y(); ty < r.bottom(); ty += TILE) {
      for (int tx = r.x(); tx < r.right(); tx += TILE) {
        Rect t = Rect.ofBounds(tx, ty, Math.min(tx + TILE, r.right()), Math.min(ty + TILE, r.bottom()));
        int n = t.w() * t.h();
        frame.translate(t, pf, tile);
        int tileBg = mostFrequent(n);
        int colours = countColours(n, 3);
        if (colours == 1) {
          out.writeByte(bgKnown && bg == tileBg ? 0 : HEXTILE_BACKGROUND);
          if (!bgKnown || bg != tileBg) {
            pf.writePixel(out, tileBg);
          }
          bg = tileBg;
          bgKnown = true;
          continue;
        }
        int count = findSubrects(t.w(), t.h(), tileBg);
        boolean mono = colours == 2;
        int rawSize = n * bpp;
        int size = count * (mono ? 2 : bpp + 2);
        if (count > 255 || size >= rawSize) {
          out.writeByte(HEXTILE_RAW);
          for (int i = 0; i < n; i++) {
            pf.writePixel(out, tile[i]);
          }
          bgKnown = false;
          fgKnown = false;
          continue;
        }
        int mask = HEXTILE_ANY_SUBRECTS;
        boolean sendBg = !bgKnown || bg != tileBg;
        int tileFg = subrects[0];
        boolean sendFg = mono && (!fgKnown || fg != tileFg);
        mask |= sendBg ? HEXTILE_BACKGROUND : 0;
        mask |= sendFg ? HEXTILE_FOREGROUND : 0;
        mask |= mono ? 0 : HEXTILE_SUBRECTS_COLOURED;
        out.writeByte(mask);
        if (sendBg) {
          pf.writePixel(out, tileBg);
        }
        if (sendFg) {
          pf.writePixel(out, tileFg);
        }
        out.writeByte(count);
        for (int i = 0; i < count; i++) {
          int k = i * 5;
          if (!mono) {
            pf.writePixel(out, subrects[k]);
          }
          out.writeByte((subrects[k + 1] << 4) | subrects[k + 2]);
          out.writeByte(((subrects[k + 3] - 1) << 4) | (subrects[k + 4] - 1));
        }
        bg = tileBg;
        bgKnown = true;
        if (mono) {
          fg = tileFg;
          fgKnown = true;
        } else {
          fgKnown = false; // a coloured tile leaves the foreground undefined
        }
      }
    }
    return 1;
  }

  /** The most frequent pixel value among the first {@code n} of the tile. */
  private int mostFrequent(int n) {
    System.arraycopy(tile, 0, sorted, 0, n);
    Arrays.sort(sorted, 0, n);
    int best = sorted[0];
    int bestRun = 0;
    int run = 0;
    for (int i = 0; i < n; i++) {
      run = i > 0 && sorted[i] == sorted[i - 1] ? run + 1 : 1;
      if (run > bestRun) {
        bestRun = run;
        best = sorted[i];
      }
    }
    return best;
  }

  /** How many distinct values the tile holds, counting no further than {@code limit}. */
  private int countColours(int n, int limit) {
    int count = 1;
    for (int i = 1; i < n && count < limit; i++) {
      if (sorted[i] != sorted[i - 1]) {
        count++;
      }
    }
    return count;
  }

  /**
   * Covers every non-background pixel with single-colour subrectangles, greedily: from the first
   * uncovered pixel, as wide as the colour runs, then as tall as whole rows of it allow.
   *
   * @return how many subrectangles were found (stops counting past 256)
   */
  private int findSubrects(int w, int h, int bg) {
    Arrays.fill(covered, 0, w * h, false);
    int count = 0;
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int i = y * w + x;
        int c = tile[i];
        if (c == bg || covered[i]) {
          continue;
        }
        if (count == 256) {
          return 257;
        }
        int sw = 1;
        while (x + sw < w && tile[i + sw] == c && !covered[i + sw]) {
          sw++;
        }
        int sh = 1;
        rows:
        while (y + sh < h) {
          int row = (y + sh) * w + x;
          for (int k = 0; k < sw; k++) {
            if (tile[row + k] != c || covered[row + k]) {
              break rows;
            }
          }
          sh++;
        }
        for (int yy = y; yy < y + sh; yy++) {
          Arrays.fill(covered, yy * w + x, yy * w + x + sw, true);
        }
        int k = count * 5;
        subrects[k] = c;
        subrects[k + 1] = x;
        subrects[k + 2] = y;
        subrects[k + 3] = sw;
        subrects[k + 4] = sh;
        count++;
      }
    }
    return count;
  }
}
