package org.novnc.proxy.demo.internal;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/** JPEG for Tight, through the JDK's javax.imageio writer, kept in memory (no cache files). */
final class JpegWriter {
  private ImageWriter writer;

  byte[] write(Frame frame, Rect r, int quality) {
    BufferedImage image = new BufferedImage(r.w(), r.h(), BufferedImage.TYPE_INT_RGB);
    int[] dst = ((DataBufferInt) image.getRaster().getDataBuffer()).getData();
    for (int y = 0; y < r.h(); y++) {
      System.arraycopy(frame.pixels(), (r.y() + y) * frame.width() + r.x(), dst, y * r.w(), r.w());
    }
    ImageWriter w = writer();
    ImageWriteParam param = w.getDefaultWriteParam();
    param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
    param.setCompressionQuality(Math.max(0, Math.min(100, quality)) / 100f);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(r.w() * r.h() / 4 + 1024);
    try (MemoryCacheImageOutputStream stream = new MemoryCacheImageOutputStream(bytes)) {
      w.setOutput(stream);
      w.write(null, new IIOImage(image, null, null), param);
    } catch (IOException e) {
      throw new UncheckedIOException("JPEG encoding failed", e);
    }
    return bytes.toByteArray();
  }

  private ImageWriter writer() {
    if (writer == null) {
      Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName("jpeg");
      if (!writers.hasNext()) {
        throw new IllegalStateException("no JPEG writer in this JDK");
      }
      writer = writers.next();
    }
    return writer;
  }

  void close() {
    if (writer != null) {
      writer.dispose();
      writer = null;
    }
  }
}
