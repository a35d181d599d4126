package org.novnc.proxy.demo.internal;

import java.util.List;

/** The client-to-server messages (§7.5 and SetDesktopSize), as the decoder hands them on. */
sealed interface ClientMessage {

  /** SetPixelFormat (0): the format for everything sent from now on. */
  record SetPixelFormat(PixelFormat format) implements ClientMessage {}

  /** SetEncodings (2): the encodings and pseudo-encodings the client takes, in its order of preference. */
  record SetEncodings(int[] encodings) implements ClientMessage {}

  /** FramebufferUpdateRequest (3). */
  record UpdateRequest(boolean incremental, Rect area) implements ClientMessage {}

  /** KeyEvent (4): a keysym going down or up. */
  record KeyEvent(boolean down, int keysym) implements ClientMessage {}

  /** PointerEvent (5): button mask (bit 0 = left) and position. */
  record PointerEvent(int buttons, int x, int y) implements ClientMessage {}

  /** ClientCutText (6): the client's clipboard changed; its text (skipped) was this long. */
  record ClientCutText(long length) implements ClientMessage {}

  /** SetDesktopSize (251): the framebuffer size and screen layout the client asks for. */
  record SetDesktopSize(int width, int height, List<Screen> screens) implements ClientMessage {}
}
