package org.novnc.proxy.wrapper.internal;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Ending a real process tree: TERM, grace, KILL; daemons found through the environment marker. */
class ProcessTreeTest {
  private final String id = UUID.randomUUID().toString();
  private final String marker = ProcessMarker.ID_VARIABLE + "=" + id;

  @AfterEach
  void nothingLeftOver() {
    ProcessTree.end(null, marker, Duration.ZERO, Duration.ofSeconds(2));
    assertEquals(List.of(), ProcessTree.marked(marker));
  }

  private Process sh(String script, boolean marked) throws IOException {
    ProcessBuilder pb = new ProcessBuilder("sh", "-c", script).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD);
    if (marked) {
      pb.environment().put(ProcessMarker.ID_VARIABLE, id);
    }
    return pb.start();
  }

  private static boolean hasArgs(ProcessHandle p, String... args) {
    return p.info().arguments().map(a -> List.of(a).equals(List.of(args))).orElse(false);
  }

  @Test
  void endsAShellAndItsBackgroundChildren() throws Exception {
    Process p = sh("sleep 100 & sleep 100", true);
    // dash may exec the last command itself: one or two sleeps under the shell's pid
    await().atMost(Duration.ofSeconds(5)).until(() -> ProcessTree.marked(marker).stream()
        .filter(h -> hasArgs(h, "100")).count() == 2);
    List<ProcessHandle> members = ProcessTree.members(p.toHandle(), marker);
    assertTrue(members.size() >= 2, members::toString);

    ProcessTree.Ending e = ProcessTree.end(p.toHandle(), marker, Duration.ofSeconds(5), Duration.ofSeconds(2));

    assertEquals(new ProcessTree.Ending(members.size(), 0, 0), e, "all ended by TERM");
    members.forEach(h -> assertFalse(ProcessTree.running(h), h + " still runs"));
    assertTrue(p.waitFor(5, java.util.concurrent.TimeUnit.SECONDS));
  }

  @Test
  void findsADaemonThroughTheMarker() throws Exception {
    // the subshell starts a new session and exits at once: its sleep is re-parented away from us
    Process p = sh("(setsid sleep 101 &); sleep 100", true);
    await().atMost(Duration.ofSeconds(5)).until(() -> daemon().isPresent());
    ProcessHandle daemon = daemon().orElseThrow();
    assertFalse(p.descendants().anyMatch(d -> d.pid() == daemon.pid()), "the daemon is outside the descendant tree");

    ProcessTree.Ending e = ProcessTree.end(p.toHandle(), marker, Duration.ofSeconds(5), Duration.ofSeconds(2));

    assertEquals(0, e.survivors());
    assertTrue(e.terminated() >= 2, e::toString);
    assertFalse(ProcessTree.running(daemon), "the daemon was ended too");
    assertFalse(ProcessTree.running(p.toHandle()));
  }

  private Optional<ProcessHandle> daemon() {
    return ProcessTree.marked(marker).stream().filter(h -> hasArgs(h, "101")).findFirst();
  }

  @Test
  void killsWhatIgnoresTermAfterTheGrace() throws Exception {
    Process p = sh("trap '' TERM; sleep 100 & sleep 100", true);
    await().atMost(Duration.ofSeconds(5)).until(() -> ProcessTree.marked(marker).stream()
        .filter(h -> hasArgs(h, "100")).count() == 2);
    long start = System.nanoTime();

    ProcessTree.Ending e = ProcessTree.end(p.toHandle(), marker, Duration.ofMillis(300), Duration.ofSeconds(2));

    Duration took = Duration.ofNanos(System.nanoTime() - start);
    assertEquals(0, e.survivors());
    assertTrue(e.killed() >= 2, e::toString);
    assertTrue(took.compareTo(Duration.ofMillis(300)) >= 0, "waited the grace: " + took);
    assertTrue(took.compareTo(Duration.ofSeconds(4)) < 0, "bounded: " + took);
  }

  @Test
  void leavesUnmarkedProcessesAlone() throws Exception {
    Process stranger = sh("sleep 100", false);
    try {
      Process ours = sh("sleep 100", true);
      await().atMost(Duration.ofSeconds(5)).until(() -> ProcessTree.marked(marker).stream()
          .anyMatch(h -> hasArgs(h, "100")));
      ProcessTree.end(null, marker, Duration.ofSeconds(5), Duration.ofSeconds(2));
      assertTrue(ours.waitFor(5, java.util.concurrent.TimeUnit.SECONDS));
      assertTrue(stranger.isAlive(), "a process without the marker is not ours");
    } finally {
      stranger.destroyForcibly().waitFor(5, java.util.concurrent.TimeUnit.SECONDS);
    }
  }

  @Test
  void nothingToEnd() {
    assertEquals(new ProcessTree.Ending(0, 0, 0), ProcessTree.end(null, marker, Duration.ofSeconds(5), Duration.ofSeconds(2)));
  }
}
