package org.novnc.proxy.wrapper.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** rebind.so written where LD_PRELOAD can take it: the data area, else a temporary file. */
class RebindLibraryTest {
  private static final byte[] SO = {0x7f, 'E', 'L', 'F', 1, 2, 3};

  @TempDir
  Path dir;

  @Test
  void writtenToTheDataAreaAndKept() throws Exception {
    Path data = dir.resolve("bundle1/data/rebind.so");
    try (RebindLibrary lib = RebindLibrary.extract(new ByteArrayInputStream(SO), data)) {
      assertEquals(data, lib.path());
      assertArrayEquals(SO, Files.readAllBytes(data));
    }
    assertTrue(Files.exists(data), "shared by the bundle's wrappers: not deleted");
  }

  @Test
  void sameContentIsNotRewritten() throws Exception {
    Path data = dir.resolve("rebind.so");
    RebindLibrary.extract(new ByteArrayInputStream(SO), data).close();
    FileTime old = FileTime.fromMillis(1000);
    Files.setLastModifiedTime(data, old);
    RebindLibrary.extract(new ByteArrayInputStream(SO), data).close();
    assertEquals(old, Files.getLastModifiedTime(data));
    RebindLibrary.extract(new ByteArrayInputStream(new byte[] {9}), data).close();
    assertNotEquals(old, Files.getLastModifiedTime(data));
    assertArrayEquals(new byte[] {9}, Files.readAllBytes(data));
  }

  @Test
  void aPathLdPreloadCannotTakeFallsBackToATemporaryFile() throws Exception {
    Path spaced = dir.resolve("Karaf data/rebind.so");
    Path used;
    try (RebindLibrary lib = RebindLibrary.extract(new ByteArrayInputStream(SO), spaced)) {
      used = lib.path();
      assertFalse(used.toString().contains(" "));
      assertArrayEquals(SO, Files.readAllBytes(used));
    }
    assertFalse(Files.exists(used), "the temporary file is deleted at close");
    assertFalse(Files.exists(spaced));
  }
}
