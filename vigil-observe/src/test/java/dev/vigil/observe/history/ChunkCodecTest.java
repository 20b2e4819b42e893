package dev.vigil.observe.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ChunkCodecTest {
  private static final long T0 = 1_735_689_600_000L;

  @Test
  void any_doubles_at_any_times_read_back_bit_for_bit() {
    Random random = new Random(42);
    double[] special = {0.0, -0.0, 1.0, -1.0, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY,
        Double.MIN_VALUE, Double.MAX_VALUE, 0x1p52, 0x1p52 + 1, -0x1p52, 0x1p60, 123456789.0, 0.1, 1e-300};
    for (int width : new int[] {1, 4, 5, 9, 26, 70}) {
      for (int round = 0; round < 20; round++) {
        List<Sample> samples = new ArrayList<>();
        long t = T0 + random.nextInt(1_000_000);
        double[] v = new double[width];
        for (int i = 0; i < 100; i++) {
          t += random.nextInt(4) == 0 ? random.nextInt(100_000) : 10_000;
          v = v.clone();
          for (int k = 0; k < width; k++) {
            int pick = random.nextInt(6);
            if (pick == 0) {
              v[k] = special[random.nextInt(special.length)];
            } else if (pick == 1) {
              v[k] = random.nextDouble() * 1e6;
            } else if (pick == 2) {
              v[k] += random.nextInt(1_000);
            }
          }
          samples.add(new Sample(t, v));
        }

        List<Sample> back = ChunkCodec.decode(samples.getFirst().t, ChunkCodec.encode(samples));

        assertThat(back).hasSize(samples.size());
        for (int i = 0; i < samples.size(); i++) {
          assertThat(back.get(i).t).isEqualTo(samples.get(i).t);
          for (int k = 0; k < width; k++) {
            assertThat(Double.doubleToRawLongBits(back.get(i).v[k]))
                .as("point %d value %d", i, k)
                .isEqualTo(Double.doubleToRawLongBits(samples.get(i).v[k]));
          }
        }
      }
    }
  }

  @Test
  void appending_point_by_point_gives_the_same_bytes_as_encoding_at_once() {
    List<Sample> samples = new ArrayList<>();
    var encoder = new ChunkCodec.Encoder(T0, 4);
    for (int i = 0; i < 30; i++) {
      Sample s = new Sample(T0 + 10_000L * i, i, i * 0.5, i % 3, 100 - i);
      samples.add(s);
      encoder.append(s);
    }

    assertThat(encoder.bytes()).isEqualTo(ChunkCodec.encode(samples));
    assertThat(encoder.points()).isEqualTo(30);
    assertThat(encoder.last()).isEqualTo(T0 + 290_000);
  }

  @Test
  void a_steady_counter_on_the_grid_costs_two_or_three_bytes_a_point_and_an_idle_one_two() {
    List<Sample> busy = new ArrayList<>();
    List<Sample> idle = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      busy.add(new Sample(T0 + 10_000L * i, 1_000_000 + 37 * i));
      idle.add(new Sample(T0 + 10_000L * i, 1_000_000));
    }

    // a header, the first value in full, the first interval; then a time byte and a value's bytes
    assertThat(ChunkCodec.encode(busy).length).isLessThanOrEqualTo(10 + 59 * 3);
    assertThat(ChunkCodec.encode(idle).length).isLessThanOrEqualTo(10 + 59 * 2);
  }

  @Test
  void a_histogram_point_costs_only_the_buckets_that_moved() {
    List<Sample> samples = new ArrayList<>();
    double[] v = new double[26];
    for (int i = 0; i < 60; i++) {
      v = v.clone();
      v[0] += 3; // count
      v[2 + 7] += 2; // two observations in one bucket...
      v[2 + 8] += 1; // ...one in the next (cumulative counts above move too)
      for (int k = 2 + 9; k < 26; k++) {
        v[k] += 3;
      }
      samples.add(new Sample(T0 + 10_000L * i, v));
    }
    // time 1 + bitmap 4 + count 1 + 19 moved buckets 1 each: 25 bytes, against 26 values of 8
    assertThat(ChunkCodec.encode(samples).length / 60).isLessThanOrEqualTo(26);
  }

  @Test
  void a_chunk_is_deflated_only_when_that_makes_it_smaller_and_reads_back_either_way() {
    List<Sample> repetitive = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      repetitive.add(new Sample(T0 + 10_000L * i, i % 2 == 0 ? 0.25 : 0.75));
    }
    List<Sample> tiny = List.of(new Sample(T0, 1));

    byte[] packed = ChunkCodec.pack(ChunkCodec.encode(repetitive));
    byte[] small = ChunkCodec.pack(ChunkCodec.encode(tiny));

    assertThat(packed[0]).isEqualTo((byte) ChunkCodec.DEFLATED);
    assertThat(packed.length).isLessThan(ChunkCodec.encode(repetitive).length);
    assertThat(ChunkCodec.decode(T0, packed)).isEqualTo(repetitive);
    assertThat(small).isEqualTo(ChunkCodec.encode(tiny));
    assertThat(ChunkCodec.decode(T0, small)).isEqualTo(tiny);
  }

  @Test
  void a_chunk_of_an_unknown_format_or_cut_short_is_refused() {
    byte[] chunk = ChunkCodec.encode(List.of(new Sample(T0, 0.1), new Sample(T0 + 10_000, 0.2)));

    byte[] unknown = chunk.clone();
    unknown[0] = 99;
    assertThatThrownBy(() -> ChunkCodec.decode(T0, unknown)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ChunkCodec.decode(T0, java.util.Arrays.copyOf(chunk, chunk.length - 2)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
