package org.novnc.proxy.demo.internal;

/**
 * The desktop's pixels as the encoders read them: 0xRRGGBB ints, row after row, {@code width} per row.
 * Only the desktop thread reads or writes them.
 */
record Frame(int[] pixels, int width, int height) {

  Rect bounds() {
    return new Rect(0, 0, width, height);
  }

  int rgb(int x, int y) {
    return pixels[y * width + x] & 0xffffff;
  }

  /** Copies the rectangle {@code r} into {@code out} (row after row) translated to the client's pixel values. */
  void translate(Rect r, PixelFormat pf, int[] out) {
    int i = 0;
    for (int y = r.y(); y < r.bottom(); y++) {
      int row = y * width;
      for (int x = r.x(); x < r.right(); x++) {
        out[i++] = pf.fromRgb(pixels[row + x]);
      }
    }
  }
}
