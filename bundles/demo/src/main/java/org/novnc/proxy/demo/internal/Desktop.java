package org.novnc.proxy.demo.internal;

import static org.novnc.proxy.demo.internal.RfbProtocol.*;

import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.time.Clock;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.novnc.proxy.demo.internal.PseudoRects.SizeReply;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shared desktop: a framebuffer (a {@code TYPE_INT_RGB} image) with a clock, a canvas every
 * viewer draws on, a text area every viewer types into, a window to drag and a connection counter.
 * It lives on one thread (the desktop thread): input from every viewer is applied there, the
 * changed rectangles are repainted and reported to every session as damage, and the sessions'
 * updates are encoded there, from a framebuffer nobody else touches.
 */
final class Desktop {
  private static final Logger LOG = LoggerFactory.getLogger(Desktop.class);
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss", Locale.ROOT);
  private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("EEEE d MMMM uuuu", Locale.ENGLISH);

  private final ScheduledExecutorService thread;
  private final Clock clock;
  private final DesktopPainter painter = new DesktopPainter();
  private final List<RfbSession> sessions = new ArrayList<>();
  private final TextBox textBox = new TextBox();
  private String name;
  private BufferedImage image;
  private Frame frame;
  private Layout layout;
  private List<Screen> screens;
  private final SharedCanvas canvas = new SharedCanvas();
  private BufferedImage windowSurface;
  private Rect window;
  private String clockText = "";
  private String dateText = "";
  private boolean flushQueued;
  private ScheduledFuture<?> ticks;

  Desktop(ScheduledExecutorService thread, Clock clock, int width, int height, String name) {
    this.thread = thread;
    this.clock = clock;
    this.name = name;
    this.screens = List.of(new Screen(0, 0, 0, width, height, 0));
    setSize(width, height);
  }

  /** Runs {@code task} on the desktop thread; an error is logged, never lost; nothing runs after close. */
  void execute(Runnable task) {
    try {
      thread.execute(guarded(task));
    } catch (RejectedExecutionException e) {
      // the desktop is stopping; the connection is being closed too
    }
  }

  private static Runnable guarded(Runnable task) {
    return () -> {
      try {
        task.run();
      } catch (RuntimeException e) {
        LOG.error("Demo desktop task failed", e);
      }
    };
  }

  /** Paints the first frame and starts the clock (a tick at every whole second). */
  void start() {
    updateClock();
    paint(layout.bounds());
    long delay = 1000 - clock.millis() % 1000;
    try {
      ticks = thread.scheduleAtFixedRate(guarded(this::updateClock), delay, 1000, TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      // stopped before it started
    }
  }

  /** Stops the clock and releases every session's encoders. */
  void close() {
    if (ticks != null) {
      ticks.cancel(false);
    }
    for (RfbSession s : sessions) {
      s.close();
    }
    sessions.clear();
  }

  // ---- sessions ----

  void attach(RfbSession s) {
    sessions.add(s);
    s.start(frame, name);
    repaint(layout.badge());
  }

  void detach(RfbSession s) {
    if (sessions.remove(s)) {
      s.close();
      LOG.info("{}: viewer disconnected", s.peer());
      repaint(layout.badge());
    }
  }

  int sessionCount() {
    return sessions.size();
  }

  /** Asks for one pass over the sessions' updates, after the input already queued. */
  void requestFlush() {
    if (!flushQueued) {
      flushQueued = true;
      execute(this::flush);
    }
  }

  private void flush() {
    flushQueued = false;
    for (RfbSession s : List.copyOf(sessions)) {
      s.flush(frame, name);
    }
  }

  Frame frame() {
    return frame;
  }

  Layout layout() {
    return layout;
  }

  Rect window() {
    return window;
  }

  /** A copy of the framebuffer, taken on the desktop thread (for tests and checks). */
  CompletableFuture<Frame> snapshot() {
    CompletableFuture<Frame> result = new CompletableFuture<>();
    execute(() -> result.complete(new Frame(frame.pixels().clone(), frame.width(), frame.height())));
    return result;
  }

  /**
   * The desktop painted afresh, whole, into a new image, leaving the framebuffer alone: what the
   * framebuffer must equal if every change repainted all it should have (a check for tests).
   */
  CompletableFuture<Frame> renderAfresh() {
    CompletableFuture<Frame> result = new CompletableFuture<>();
    execute(() -> {
      BufferedImage fresh = new BufferedImage(frame.width(), frame.height(), BufferedImage.TYPE_INT_RGB);
      Graphics2D g = fresh.createGraphics();
      try {
        painter.paint(g, scene());
      } finally {
        g.dispose();
      }
      result.complete(new Frame(((DataBufferInt) fresh.getRaster().getDataBuffer()).getData(), frame.width(),
          frame.height()));
    });
    return result;
  }

  // ---- input ----

  void pointer(RfbSession s, int buttons, int x, int y) {
    RfbSession.PointerState p = s.pointer;
    boolean down = (buttons & 1) != 0;
    boolean wasDown = (p.buttons & 1) != 0;
    if (down && !wasDown) {
      if (titleBar().contains(x, y)) {
        p.dragging = true;
        p.grabX = x - window.x();
        p.grabY = y - window.y();
      } else if (window.contains(x, y)) {
        p.drawing = false; // a click on the window body does nothing
      } else if (layout.clearButton().contains(x, y)) {
        clearCanvas();
      } else if (layout.canvasArea().contains(x, y)) {
        p.drawing = true;
        stroke(p, x, y, x, y);
      }
    } else if (down) {
      if (p.dragging) {
        moveWindow(x - p.grabX, y - p.grabY);
      } else if (p.drawing) {
        stroke(p, p.x, p.y, x, y);
      }
    } else {
      p.dragging = false;
      p.drawing = false;
    }
    p.buttons = buttons;
    p.x = x;
    p.y = y;
  }

  void key(RfbSession s, boolean down, int keysym) {
    if (down && textBox.press(keysym)) {
      repaint(layout.textArea());
    }
  }

  private Rect titleBar() {
    return new Rect(window.x(), window.y(), window.w(), Layout.WINDOW_TITLE);
  }

  private void stroke(RfbSession.PointerState p, int x0, int y0, int x1, int y1) {
    repaint(canvas.stroke(p.number, x0, y0, x1, y1));
  }

  private void clearCanvas() {
    canvas.clear();
    repaint(layout.canvasArea());
  }

  /** Moves the window; sessions that take CopyRect get the move as a copy. */
  private void moveWindow(int x, int y) {
    Rect old = window;
    Rect moved = new Rect(clamp(x, 0, layout.width() - old.w()), clamp(y, 0, layout.height() - old.h()),
        old.w(), old.h());
    if (moved.equals(old)) {
      return;
    }
    window = moved;
    Rect oldOuter = old.grow(DesktopPainter.SHADOW);
    Rect newOuter = moved.grow(DesktopPainter.SHADOW);
    paint(oldOuter.intersect(layout.bounds()));
    paint(newOuter.intersect(layout.bounds()));
    Region exposed = Region.of(oldOuter.intersect(layout.bounds()));
    exposed.add(newOuter.intersect(layout.bounds()));
    exposed.subtract(moved);
    for (RfbSession s : sessions) {
      s.copy(old, moved);
      for (Rect r : exposed.rects()) {
        s.damage(r);
      }
    }
    requestFlush();
  }

  // ---- clock, name, size ----

  private void updateClock() {
    ZonedDateTime now = ZonedDateTime.now(clock);
    String t = TIME.format(now);
    String d = DATE.format(now);
    String before = clockText;
    clockText = t;
    if (layout != null && image != null) {
      for (int i = 0; i < Layout.CLOCK_CHARS; i++) {
        if (i >= before.length() || before.charAt(i) != t.charAt(i)) {
          repaint(layout.clockChar(i));
        }
      }
      if (!d.equals(dateText)) {
        dateText = d;
        repaint(layout.dateLine());
      }
    } else {
      dateText = d;
    }
  }

  void rename(String newName) {
    if (newName.equals(name)) {
      return;
    }
    name = newName;
    repaint(layout.footer());
    for (RfbSession s : sessions) {
      s.nameChanged();
    }
    requestFlush();
  }

  /** The current size and layout, as an ExtendedDesktopSize answer with the given reason and status. */
  SizeReply sizeReply(int reason, int status) {
    return new SizeReply(reason, status, frame.width(), frame.height(), screens);
  }

  /** A server-side size change (the configuration's geometry). */
  void resize(int width, int height) {
    if (width == frame.width() && height == frame.height()) {
      return;
    }
    Screen first = screens.get(0);
    applySize(width, height, List.of(new Screen(first.id(), 0, 0, width, height, first.flags())), null);
  }

  /** A client's SetDesktopSize: applied when it is valid, answered either way. */
  void requestSize(RfbSession requester, int width, int height, List<Screen> layoutAsked) {
    int status = check(width, height, layoutAsked);
    if (status != EDS_STATUS_OK) {
      LOG.info("{}: SetDesktopSize {}x{} refused (status {})", requester.peer(), width, height, status);
      requester.sizeReply(sizeReply(EDS_REASON_THIS_CLIENT, status));
      requestFlush();
      return;
    }
    applySize(width, height, layoutAsked, requester);
  }

  private static int check(int width, int height, List<Screen> layoutAsked) {
    if (width > DemoSettings.MAX_WIDTH || height > DemoSettings.MAX_HEIGHT) {
      return EDS_STATUS_OUT_OF_RESOURCES;
    }
    if (width < DemoSettings.MIN_WIDTH || height < DemoSettings.MIN_HEIGHT || layoutAsked.isEmpty()) {
      return EDS_STATUS_INVALID_LAYOUT;
    }
    Set<Integer> ids = new HashSet<>();
    Rect fb = new Rect(0, 0, width, height);
    for (Screen s : layoutAsked) {
      Rect r = new Rect(s.x(), s.y(), s.width(), s.height());
      if (r.isEmpty() || !fb.contains(r) || !ids.add(s.id())) {
        return EDS_STATUS_INVALID_LAYOUT;
      }
    }
    return EDS_STATUS_OK;
  }

  private void applySize(int width, int height, List<Screen> newScreens, RfbSession requester) {
    screens = List.copyOf(newScreens);
    boolean changed = width != frame.width() || height != frame.height();
    if (changed) {
      setSize(width, height);
      paint(layout.bounds());
      LOG.info("Demo desktop is now {}x{}", width, height);
    }
    for (RfbSession s : sessions) {
      int reason = requester == null ? EDS_REASON_SERVER
          : s == requester ? EDS_REASON_THIS_CLIENT : EDS_REASON_OTHER_CLIENT;
      s.sizeReply(sizeReply(reason, EDS_STATUS_OK));
      if (changed) {
        s.damage(layout.bounds());
      }
    }
    requestFlush();
  }

  /** New framebuffer, layout, canvas (keeping what was drawn) and window position. */
  private void setSize(int width, int height) {
    image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    frame = new Frame(((DataBufferInt) image.getRaster().getDataBuffer()).getData(), width, height);
    layout = Layout.of(width, height);
    canvas.place(layout.canvasArea());
    windowSurface = painter.windowSurface(layout.windowWidth(), layout.windowHeight());
    int ww = layout.windowWidth();
    int wh = layout.windowHeight();
    if (window == null) {
      window = new Rect(width - layout.margin() - ww - 40, height - layout.footer().h() - wh - 40, ww, wh);
    }
    window = new Rect(clamp(window.x(), 0, width - ww), clamp(window.y(), 0, height - wh), ww, wh);
  }

  // ---- painting ----

  /** Repaints {@code r} and reports it as damage to every session. */
  private void repaint(Rect r) {
    Rect clip = r.intersect(layout.bounds());
    if (clip.isEmpty()) {
      return;
    }
    paint(clip);
    for (RfbSession s : sessions) {
      s.damage(clip);
    }
    requestFlush();
  }

  private void paint(Rect clip) {
    if (clip.isEmpty()) {
      return;
    }
    Graphics2D g = image.createGraphics();
    try {
      g.clipRect(clip.x(), clip.y(), clip.w(), clip.h());
      painter.paint(g, scene());
    } finally {
      g.dispose();
    }
  }

  private DesktopPainter.Scene scene() {
    return new DesktopPainter.Scene(layout, clockText, dateText, sessions.size(), textBox.text(), canvas.layer(), window,
        windowSurface, name);
  }

  private static int clamp(int v, int lo, int hi) {
    return Math.max(lo, Math.min(hi, v));
  }
}
