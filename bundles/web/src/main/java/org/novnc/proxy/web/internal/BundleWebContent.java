package org.novnc.proxy.web.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import org.novnc.proxy.relay.WebContent;
import org.novnc.proxy.relay.WebResource;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The web client this bundle carries under {@code webcontent/}, offered as the {@link WebContent}
 * service. Needs no servlet API, so a relay can serve the client on its own port with or without
 * Karaf's HTTP service. The files are indexed once at activation: only what is in the index is
 * ever served, so no request path can reach outside {@code webcontent/}.
 */
@Component(service = WebContent.class, property = "service.description=novnc-proxy web client (webcontent/ of org.novnc.proxy.web)")
public final class BundleWebContent implements WebContent {
  static final String ROOT = "webcontent";
  /** Served for the empty path, the first that exists. */
  static final List<String> INDEX_NAMES = List.of("index.html", "vnc.html");

  private static final Logger LOG = LoggerFactory.getLogger(BundleWebContent.class);

  private final Map<String, WebFile> files;
  private final String indexName;

  @Activate
  public BundleWebContent(BundleContext context) throws IOException {
    this(entries(context.getBundle()), context.getBundle().getLastModified());
    if (files.isEmpty()) {
      LOG.warn("{} carries no {}/ folder: the web client is missing from this build", context.getBundle().getSymbolicName(), ROOT);
    }
  }

  /**
   * @param entries relative path to its bytes, e.g. {@code core/rfb.js}
   * @param lastModified the time every file is reported as last modified (the bundle's)
   */
  BundleWebContent(Map<String, URL> entries, long lastModified) throws IOException {
    Map<String, WebFile> index = new TreeMap<>();
    for (Map.Entry<String, URL> e : entries.entrySet()) {
      String path = e.getKey();
      index.put(path, new WebFile(path, e.getValue(), MediaTypes.of(path), lengthOf(e.getValue()), lastModified));
    }
    this.files = Collections.unmodifiableMap(index);
    this.indexName = indexName(index::containsKey);
  }

  @Override
  public WebResource find(String path) {
    if (path == null) {
      return null;
    }
    return files.get(path.isEmpty() ? indexName : path);
  }

  /** The page served for the empty path: {@code index.html} when the client has one, else {@code vnc.html}. */
  String indexName() {
    return indexName;
  }

  /** The index page among the files that {@code exists} accepts (vnc.html when there is none yet). */
  static String indexName(Predicate<String> exists) {
    return INDEX_NAMES.stream().filter(exists).findFirst().orElse(INDEX_NAMES.get(INDEX_NAMES.size() - 1));
  }

  /** The files under {@code webcontent/} in {@code bundle} (not its fragments' or imports'), by relative path. */
  private static Map<String, URL> entries(Bundle bundle) {
    Map<String, URL> entries = new TreeMap<>();
    Enumeration<String> paths = bundle.getEntryPaths(ROOT);
    collect(bundle, paths, entries);
    return entries;
  }

  private static void collect(Bundle bundle, Enumeration<String> paths, Map<String, URL> into) {
    while (paths != null && paths.hasMoreElements()) {
      String entry = paths.nextElement(); // "webcontent/core/rfb.js" or "webcontent/core/"
      if (entry.endsWith("/")) {
        collect(bundle, bundle.getEntryPaths(entry), into);
      } else {
        into.put(entry.substring(ROOT.length() + 1), bundle.getEntry(entry));
      }
    }
  }

  /** Read once at activation: bundle entry URLs do not report lengths reliably, and the client is small. */
  private static long lengthOf(URL url) throws IOException {
    long n = 0;
    byte[] buffer = new byte[8192];
    try (InputStream in = url.openStream()) {
      for (int r; (r = in.read(buffer)) != -1;) {
        n += r;
      }
    }
    return n;
  }
}
