package org.novnc.proxy.wrapper.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;

/**
 * rebind.so on disk, where {@code LD_PRELOAD} can load it. The bundle carries it as the resource
 * {@value #RESOURCE}; it is written to the bundle's data area (shared by every wrapper of the
 * bundle, removed with the bundle) or, if that path cannot be put in {@code LD_PRELOAD} (it holds
 * a space or a colon, the separators of that variable) or there is no data area, to a temporary
 * file deleted by {@link #close()}.
 */
final class RebindLibrary implements AutoCloseable {
  static final String RESOURCE = "native/rebind.so";

  private final Path path;
  private final boolean temporary;

  private RebindLibrary(Path path, boolean temporary) {
    this.path = path;
    this.temporary = temporary;
  }

  /** A library already on disk (tests, or a file the bundle does not own): never deleted. */
  static RebindLibrary at(Path path) {
    return new RebindLibrary(path.toAbsolutePath(), false);
  }

  /**
   * Writes {@code content} to {@code preferred} (if usable) or to a temporary file.
   *
   * @param preferred the file in the bundle data area, or null if there is none
   */
  static RebindLibrary extract(InputStream content, Path preferred) throws IOException {
    byte[] bytes;
    try (content) {
      bytes = content.readAllBytes();
    }
    if (preferred != null && preloadable(preferred.toAbsolutePath())) {
      Path target = preferred.toAbsolutePath();
      synchronized (RebindLibrary.class) { // wrappers activating together write it once
        if (!Files.isRegularFile(target) || !Arrays.equals(Files.readAllBytes(target), bytes)) {
          Files.createDirectories(target.getParent());
          Path tmp = Files.createTempFile(target.getParent(), "rebind", ".tmp");
          try {
            Files.write(tmp, bytes);
            // a rename, so a process that has the old file mapped keeps a whole file
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
          } finally {
            Files.deleteIfExists(tmp);
          }
        }
      }
      return new RebindLibrary(target, false);
    }
    Path tmp = Files.createTempFile("novnc-rebind-", ".so",
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    if (!preloadable(tmp)) {
      Files.delete(tmp);
      throw new IOException("neither the bundle data area nor " + tmp.getParent()
          + " gives a path without ' ' or ':' that LD_PRELOAD can take");
    }
    Files.write(tmp, bytes);
    return new RebindLibrary(tmp, true);
  }

  private static boolean preloadable(Path p) {
    String s = p.toString();
    return s.indexOf(' ') < 0 && s.indexOf(':') < 0;
  }

  Path path() {
    return path;
  }

  @Override
  public void close() throws IOException {
    if (temporary) {
      Files.deleteIfExists(path);
    }
  }
}
