package dev.vigil.observe.history;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * Encodes the points of one chunk compactly and losslessly.
 *
 * <p><b>Design note.</b> History must stay small (the demo's 30 days well under 50 MB) while
 * every sample is kept exactly, so a chunk is encoded the way time-series databases do, in a
 * simpler byte-aligned form. A header gives the format and the number of values per point (its
 * width). Then, per point: the time as a delta of deltas (samples land on a regular grid, so this
 * is nearly always one zero byte); for points wider than four values, a bitmap of the values that
 * changed since the previous point, as a varint (a histogram's buckets mostly do not move, and an
 * idle histogram costs one byte); then each value against the same value of the previous point: an
 * unchanged value is one zero byte (when there is no bitmap), an integer that changed is its
 * difference as a zig-zag varint (counts, bytes, depths: one to four bytes), and any other double
 * is the XOR of its bits with the previous value's, without the leading and trailing zero bytes.
 * Finally the whole chunk is deflated when that makes it smaller ({@link Encoder#packed()}: a
 * chunk of sixty points repeats itself a lot). Decoding needs nothing but the chunk's start time.
 *
 * <p>The encoder appends one point at a time ({@link Encoder#append}), so the sampler keeps the
 * chunk it is filling and never re-encodes its points.
 */
final class ChunkCodec {
  /** The format of a chunk as encoded. */
  static final int VERSION = 1;
  /** The format of a chunk deflated: this byte, then the deflated chunk. */
  static final int DEFLATED = 2;
  private static final int BITMAP_ABOVE = 4;
  private static final int VARINT_BITMAP_UP_TO = 63;
  private static final double INTEGRAL_LIMIT = 0x1p52;

  private ChunkCodec() {}

  /** Encodes {@code samples} (non-empty, ascending times, all of one width) of a chunk starting at the first. */
  static byte[] encode(List<Sample> samples) {
    Encoder e = new Encoder(samples.getFirst().t, samples.getFirst().v.length);
    samples.forEach(e::append);
    return e.bytes();
  }

  /** Decodes a chunk (plain or deflated) that starts at {@code start} (its first point's time). */
  static List<Sample> decode(long start, byte[] data) {
    Reader r = new Reader(data.length > 0 && (data[0] & 0xff) == DEFLATED ? inflate(data) : data);
    int version = r.readByte();
    if (version != VERSION) {
      throw new IllegalArgumentException("unknown chunk format " + version);
    }
    int width = (int) r.readVarint();
    boolean bitmap = width > BITMAP_ABOVE;
    boolean varintBitmap = width <= VARINT_BITMAP_UP_TO;
    int bitmapBytes = (width + 7) / 8;
    double[] prev = new double[width];
    long prevT = start;
    long prevDelta = 0;
    List<Sample> out = new ArrayList<>();
    while (r.hasMore()) {
      long delta = prevDelta + unzigzag(r.readVarint());
      long t = prevT + delta;
      double[] v = new double[width];
      byte[] changed = null;
      if (bitmap) {
        changed = varintBitmap ? toBytes(r.readVarint(), bitmapBytes) : r.readBytes(bitmapBytes);
      }
      for (int i = 0; i < width; i++) {
        if (changed != null && (changed[i >>> 3] & (1 << (i & 7))) == 0) {
          v[i] = prev[i];
        } else {
          v[i] = readValue(r, prev[i]);
        }
      }
      out.add(new Sample(t, v));
      prev = v;
      prevT = t;
      prevDelta = delta;
    }
    return out;
  }

  private static byte[] toBytes(long mask, int n) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) {
      b[i] = (byte) (mask >>> (8 * i));
    }
    return b;
  }

  private static long toLong(byte[] b) {
    long mask = 0;
    for (int i = 0; i < b.length; i++) {
      mask |= (b[i] & 0xffL) << (8 * i);
    }
    return mask;
  }

  /** The chunk deflated, behind its marker byte, if that is smaller; else the chunk itself. */
  static byte[] pack(byte[] plain) {
    Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION, true);
    try {
      deflater.setInput(plain);
      deflater.finish();
      byte[] buffer = new byte[plain.length];
      buffer[0] = (byte) DEFLATED;
      int n = 1;
      while (!deflater.finished() && n < buffer.length) {
        n += deflater.deflate(buffer, n, buffer.length - n);
      }
      return deflater.finished() && n < plain.length ? Arrays.copyOf(buffer, n) : plain;
    } finally {
      deflater.end();
    }
  }

  private static byte[] inflate(byte[] packed) {
    Inflater inflater = new Inflater(true);
    try {
      inflater.setInput(packed, 1, packed.length - 1);
      ByteArrayOutputStream out = new ByteArrayOutputStream(packed.length * 4);
      byte[] buffer = new byte[1024];
      while (!inflater.finished()) {
        int n = inflater.inflate(buffer);
        if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
          throw new IllegalArgumentException("deflated chunk truncated");
        }
        out.write(buffer, 0, n);
      }
      return out.toByteArray();
    } catch (DataFormatException e) {
      throw new IllegalArgumentException("deflated chunk corrupt", e);
    } finally {
      inflater.end();
    }
  }

  /** Appends points to a chunk being filled. Not thread-safe. */
  static final class Encoder {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream(64);
    private final long start;
    private final int width;
    private final boolean bitmap;
    private double[] prev;
    private long prevT;
    private long prevDelta;
    private long last;
    private int points;

    Encoder(long start, int width) {
      this.start = start;
      this.width = width;
      this.bitmap = width > BITMAP_ABOVE;
      this.prev = new double[width];
      this.prevT = start;
      this.last = start;
      out.write(VERSION);
      writeVarint(out, width);
    }

    /** Appends a point; its time must not be before the previous point's, its width the chunk's. */
    void append(Sample s) {
      if (s.v.length != width) {
        throw new IllegalArgumentException("a point of width " + s.v.length + " in a chunk of width " + width);
      }
      if (s.t < prevT) {
        throw new IllegalArgumentException("points must be appended in time order");
      }
      long delta = s.t - prevT;
      writeVarint(out, zigzag(delta - prevDelta));
      if (bitmap) {
        byte[] changed = new byte[(width + 7) / 8];
        for (int i = 0; i < width; i++) {
          if (Double.doubleToRawLongBits(s.v[i]) != Double.doubleToRawLongBits(prev[i])) {
            changed[i >>> 3] |= (byte) (1 << (i & 7));
          }
        }
        if (width <= VARINT_BITMAP_UP_TO) {
          writeVarint(out, toLong(changed));
        } else {
          out.writeBytes(changed);
        }
        for (int i = 0; i < width; i++) {
          if ((changed[i >>> 3] & (1 << (i & 7))) != 0) {
            writeValue(out, prev[i], s.v[i]);
          }
        }
      } else {
        for (int i = 0; i < width; i++) {
          writeValue(out, prev[i], s.v[i]);
        }
      }
      prev = s.v.clone();
      prevDelta = delta;
      prevT = s.t;
      last = s.t;
      points++;
    }

    long start() {
      return start;
    }

    long last() {
      return last;
    }

    int points() {
      return points;
    }

    int width() {
      return width;
    }

    /** The chunk so far. */
    byte[] bytes() {
      return out.toByteArray();
    }

    /** The chunk so far, deflated when that makes it smaller. */
    byte[] packed() {
      return pack(out.toByteArray());
    }
  }

  private static void writeValue(ByteArrayOutputStream out, double prev, double v) {
    long bits = Double.doubleToRawLongBits(v);
    long prevBits = Double.doubleToRawLongBits(prev);
    if (bits == prevBits) {
      out.write(0);
    } else if (isIntegral(prev) && isIntegral(v)) {
      writeVarint(out, zigzag((long) v - (long) prev) << 1);
    } else {
      long xor = bits ^ prevBits;
      int lz = Math.min(7, Long.numberOfLeadingZeros(xor) / 8);
      int tz = Math.min(7 - lz, Long.numberOfTrailingZeros(xor) / 8);
      out.write(1 | lz << 1 | tz << 4);
      for (int i = 7 - lz; i >= tz; i--) {
        out.write((int) (xor >>> (8 * i)) & 0xff);
      }
    }
  }

  private static double readValue(Reader r, double prev) {
    long code = r.readVarint();
    if (code == 0) {
      return prev;
    }
    if ((code & 1) == 0) {
      return (double) ((long) prev + unzigzag(code >>> 1));
    }
    int lz = (int) (code >>> 1) & 7;
    int tz = (int) (code >>> 4) & 7;
    long xor = 0;
    for (int i = 7 - lz; i >= tz; i--) {
      xor |= (long) r.readByte() << (8 * i);
    }
    return Double.longBitsToDouble(Double.doubleToRawLongBits(prev) ^ xor);
  }

  /** Whole numbers small enough that their differences are exact; not negative zero. */
  private static boolean isIntegral(double x) {
    return x == Math.rint(x) && Math.abs(x) <= INTEGRAL_LIMIT && Double.doubleToRawLongBits(x) != Long.MIN_VALUE;
  }

  private static long zigzag(long n) {
    return (n << 1) ^ (n >> 63);
  }

  private static long unzigzag(long n) {
    return (n >>> 1) ^ -(n & 1);
  }

  private static void writeVarint(ByteArrayOutputStream out, long v) {
    while ((v & ~0x7FL) != 0) {
      out.write((int) ((v & 0x7F) | 0x80));
      v >>>= 7;
    }
    out.write((int) v);
  }

  private static final class Reader {
    private final byte[] data;
    private int pos;

    Reader(byte[] data) {
      this.data = data;
    }

    boolean hasMore() {
      return pos < data.length;
    }

    int readByte() {
      if (pos >= data.length) {
        throw new IllegalArgumentException("chunk truncated");
      }
      return data[pos++] & 0xff;
    }

    byte[] readBytes(int n) {
      if (pos + n > data.length) {
        throw new IllegalArgumentException("chunk truncated");
      }
      byte[] b = java.util.Arrays.copyOfRange(data, pos, pos + n);
      pos += n;
      return b;
    }

    long readVarint() {
      long v = 0;
      for (int shift = 0; shift < 64; shift += 7) {
        int b = readByte();
        v |= (long) (b & 0x7F) << shift;
        if ((b & 0x80) == 0) {
          return v;
        }
      }
      throw new IllegalArgumentException("varint too long");
    }
  }
}
