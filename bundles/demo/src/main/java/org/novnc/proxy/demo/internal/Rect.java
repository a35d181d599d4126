package org.novnc.proxy.demo.internal;

import java.util.ArrayList;
import java.util.List;

/** A rectangle of the framebuffer, in pixels; empty when its width or height is not positive. */
record Rect(int x, int y, int w, int h) {
  static final Rect EMPTY = new Rect(0, 0, 0, 0);

  static Rect ofBounds(int left, int top, int right, int bottom) {
    return right <= left || bottom <= top ? EMPTY : new Rect(left, top, right - left, bottom - top);
  }

  int right() {
    return x + w;
  }

  int bottom() {
    return y + h;
  }

  boolean isEmpty() {
    return w <= 0 || h <= 0;
  }

  long area() {
    return isEmpty() ? 0 : (long) w * h;
  }

  Rect intersect(Rect o) {
    return ofBounds(Math.max(x, o.x), Math.max(y, o.y), Math.min(right(), o.right()), Math.min(bottom(), o.bottom()));
  }

  boolean intersects(Rect o) {
    return !intersect(o).isEmpty();
  }

  boolean contains(Rect o) {
    return o.isEmpty() || (o.x >= x && o.y >= y && o.right() <= right() && o.bottom() <= bottom());
  }

  boolean contains(int px, int py) {
    return px >= x && py >= y && px < right() && py < bottom();
  }

  /** The smallest rectangle holding both. */
  Rect union(Rect o) {
    if (isEmpty()) {
      return o;
    }
    if (o.isEmpty()) {
      return this;
    }
    return ofBounds(Math.min(x, o.x), Math.min(y, o.y), Math.max(right(), o.right()), Math.max(bottom(), o.bottom()));
  }

  Rect translate(int dx, int dy) {
    return new Rect(x + dx, y + dy, w, h);
  }

  Rect grow(int d) {
    return ofBounds(x - d, y - d, right() + d, bottom() + d);
  }

  /** This rectangle less {@code o}: at most four disjoint pieces (above, below, left, right). */
  List<Rect> subtract(Rect o) {
    Rect cut = intersect(o);
    List<Rect> pieces = new ArrayList<>(4);
    if (cut.isEmpty()) {
      if (!isEmpty()) {
        pieces.add(this);
      }
      return pieces;
    }
    addIfNotEmpty(pieces, ofBounds(x, y, right(), cut.y));
    addIfNotEmpty(pieces, ofBounds(x, cut.bottom(), right(), bottom()));
    addIfNotEmpty(pieces, ofBounds(x, cut.y, cut.x, cut.bottom()));
    addIfNotEmpty(pieces, ofBounds(cut.right(), cut.y, right(), cut.bottom()));
    return pieces;
  }

  private static void addIfNotEmpty(List<Rect> list, Rect r) {
    if (!r.isEmpty()) {
      list.add(r);
    }
  }

  @Override
  public String toString() {
    return w + "x" + h + "+" + x + "+" + y;
  }
}
