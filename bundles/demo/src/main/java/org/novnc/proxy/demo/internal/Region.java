package org.novnc.proxy.demo.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * A set of pixels kept as disjoint rectangles: the damage a client has not seen yet, or the area it
 * asked for. Past {@link #MAX_RECTS} pieces it collapses to its bounding box, which only ever
 * re-sends pixels the client already has.
 */
final class Region {
  static final int MAX_RECTS = 48;
  private final List<Rect> rects = new ArrayList<>();

  static Region of(Rect r) {
    Region region = new Region();
    region.add(r);
    return region;
  }

  boolean isEmpty() {
    return rects.isEmpty();
  }

  List<Rect> rects() {
    return List.copyOf(rects);
  }

  void clear() {
    rects.clear();
  }

  void add(Rect r) {
    if (r.isEmpty()) {
      return;
    }
    List<Rect> pieces = new ArrayList<>();
    pieces.add(r);
    for (Rect existing : rects) {
      if (!existing.intersects(r)) {
        continue;
      }
      List<Rect> next = new ArrayList<>();
      for (Rect p : pieces) {
        next.addAll(p.subtract(existing));
      }
      pieces = next;
      if (pieces.isEmpty()) {
        return;
      }
    }
    rects.addAll(pieces);
    if (rects.size() > MAX_RECTS) {
      Rect b = bounds();
      rects.clear();
      rects.add(b);
    }
  }

  void add(Region other) {
    for (Rect r : other.rects) {
      add(r);
    }
  }

  void subtract(Rect r) {
    if (r.isEmpty()) {
      return;
    }
    List<Rect> next = new ArrayList<>(rects.size() + 3);
    for (Rect existing : rects) {
      next.addAll(existing.subtract(r));
    }
    rects.clear();
    rects.addAll(next);
  }

  void subtract(Region other) {
    for (Rect r : other.rects) {
      subtract(r);
    }
  }

  /** The part of this region inside {@code clip}, as a new region. */
  Region intersect(Rect clip) {
    Region out = new Region();
    for (Rect r : rects) {
      Rect i = r.intersect(clip);
      if (!i.isEmpty()) {
        out.rects.add(i);
      }
    }
    return out;
  }

  /** The part of this region inside {@code other}, as a new region. */
  Region intersect(Region other) {
    Region out = new Region();
    for (Rect clip : other.rects) {
      for (Rect r : rects) {
        Rect i = r.intersect(clip);
        if (!i.isEmpty()) {
          out.rects.add(i); // both sides are disjoint, so the pieces are too
        }
      }
    }
    return out;
  }

  Region translate(int dx, int dy) {
    Region out = new Region();
    for (Rect r : rects) {
      out.rects.add(r.translate(dx, dy));
    }
    return out;
  }

  Rect bounds() {
    Rect b = Rect.EMPTY;
    for (Rect r : rects) {
      b = b.union(r);
    }
    return b;
  }

  @Override
  public String toString() {
    return rects.toString();
  }
}
