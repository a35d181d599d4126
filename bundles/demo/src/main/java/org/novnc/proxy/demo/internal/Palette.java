package org.novnc.proxy.demo.internal;

import java.util.Arrays;

/**
 * The distinct pixel values of a tile or rectangle, up to a limit, each with its index: an open
 * addressing hash table, reused from one rectangle to the next.
 */
final class Palette {
  private static final int SLOTS = 1024; // power of two, four times the largest palette
  private final int[] keys = new int[SLOTS];
  private final int[] indexOf = new int[SLOTS];
  private final int[] colours = new int[256];
  private int size;

  /**
   * Collects the distinct values among {@code n} pixels.
   *
   * @return the number of colours, or {@code limit + 1} when there are more than {@code limit}
   */
  int build(int[] pixels, int n, int limit) {
    Arrays.fill(indexOf, -1);
    size = 0;
    int last = 0;
    boolean any = false;
    for (int i = 0; i < n; i++) {
      int p = pixels[i];
      if (any && p == last) {
        continue;
      }
      any = true;
      last = p;
      if (lookup(p) < 0) {
        if (size == limit) {
          return limit + 1;
        }
        insert(p);
      }
    }
    return size;
  }

  int size() {
    return size;
  }

  int colour(int index) {
    return colours[index];
  }

  /** The index of a value that is in the palette. */
  int index(int p) {
    return lookup(p);
  }

  private int slot(int p) {
    int h = p * 0x9E3779B1;
    return (h ^ (h >>> 16)) & (SLOTS - 1);
  }

  private int lookup(int p) {
    for (int s = slot(p);; s = (s + 1) & (SLOTS - 1)) {
      if (indexOf[s] < 0) {
        return -1;
      }
      if (keys[s] == p) {
        return indexOf[s];
      }
    }
  }

  private void insert(int p) {
    int s = slot(p);
    while (indexOf[s] >= 0) {
      s = (s + 1) & (SLOTS - 1);
    }
    keys[s] = p;
    indexOf[s] = size;
    colours[size++] = p;
  }
}
