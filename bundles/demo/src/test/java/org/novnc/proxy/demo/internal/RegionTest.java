package org.novnc.proxy.demo.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Regions stay disjoint and cover exactly what was added, less what was taken away. */
class RegionTest {

  private static boolean[] paint(List<Rect> rects, int w, int h) {
    boolean[] px = new boolean[w * h];
    for (Rect r : rects) {
      for (int y = r.y(); y < r.bottom(); y++) {
        for (int x = r.x(); x < r.right(); x++) {
          px[y * w + x] = true;
        }
      }
    }
    return px;
  }

  @Test
  void addAndSubtractMatchPixelSets() {
    Random random = new Random(7);
    for (int round = 0; round < 200; round++) {
      Region region = new Region();
      boolean[] expected = new boolean[64 * 64];
      for (int i = 0; i < 12; i++) {
        Rect r = new Rect(random.nextInt(60), random.nextInt(60), 1 + random.nextInt(20), 1 + random.nextInt(20))
            .intersect(new Rect(0, 0, 64, 64));
        boolean add = random.nextInt(3) > 0;
        if (add) {
          region.add(r);
        } else {
          region.subtract(r);
        }
        for (int y = r.y(); y < r.bottom(); y++) {
          for (int x = r.x(); x < r.right(); x++) {
            expected[y * 64 + x] = add;
          }
        }
      }
      List<Rect> rects = region.rects();
      long area = rects.stream().mapToLong(Rect::area).sum();
      boolean[] got = paint(rects, 64, 64);
      long count = 0;
      for (boolean b : got) {
        count += b ? 1 : 0;
      }
      assertEquals(count, area, "rectangles are disjoint");
      assertTrue(java.util.Arrays.equals(expected, got), "round " + round);
    }
  }

  @Test
  void tooManyPiecesCollapseToTheBoundingBox() {
    Region region = new Region();
    for (int i = 0; i < Region.MAX_RECTS + 1; i++) {
      region.add(new Rect(i * 2, 0, 1, 1));
    }
    assertEquals(List.of(new Rect(0, 0, Region.MAX_RECTS * 2 + 1, 1)), region.rects());
  }

  @Test
  void subtractLeavesFourPieces() {
    assertEquals(4, new Rect(0, 0, 10, 10).subtract(new Rect(3, 3, 4, 4)).size());
    assertEquals(List.of(new Rect(0, 0, 10, 10)), new Rect(0, 0, 10, 10).subtract(new Rect(20, 20, 1, 1)));
    assertTrue(new Rect(0, 0, 10, 10).subtract(new Rect(-1, -1, 12, 12)).isEmpty());
  }
}
