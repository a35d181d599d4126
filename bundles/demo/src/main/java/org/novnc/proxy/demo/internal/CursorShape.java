package org.novnc.proxy.demo.internal;

/**
 * The arrow pointer sent with the Cursor pseudo-encoding: a black outline around a white body,
 * hotspot at the tip, and a mask that is exactly the drawn pixels.
 */
record CursorShape(int width, int height, int hotX, int hotY, int[] pixels, byte[] mask) {

  private static final String[] ARROW = {
      "X           ",
      "XX          ",
      "X.X         ",
      "X..X        ",
      "X...X       ",
      "X....X      ",
      "X.....X     ",
      "X......X    ",
      "X.......X   ",
      "X........X  ",
      "X.........X ",
      "X..........X",
      "X......XXXXX",
      "X...X..X    ",
      "X..XX..X    ",
      "X.X  X..X   ",
      "XX   X..X   ",
      "X     X..X  ",
      "      X..X  ",
      "       XX   ",
  };

  static final CursorShape ARROW_CURSOR = parse(ARROW);

  /** 'X' black, '.' white, ' ' transparent. */
  static CursorShape parse(String[] rows) {
    int h = rows.length;
    int w = rows[0].length();
    int rowBytes = (w + 7) / 8;
    int[] pixels = new int[w * h];
    byte[] mask = new byte[rowBytes * h];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        char c = rows[y].charAt(x);
        if (c == ' ') {
          continue;
        }
        pixels[y * w + x] = c == '.' ? 0xffffff : 0x000000;
        mask[y * rowBytes + x / 8] |= (byte) (0x80 >>> (x % 8));
      }
    }
    return new CursorShape(w, h, 0, 0, pixels, mask);
  }
}
