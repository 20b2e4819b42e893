package dev.vigil.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.job.Lane;
import dev.vigil.server.ServerConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The overload scenario's {@code vigil.yaml} is one the server reads as a user's would. */
class OverloadConfigTest {
  @TempDir Path dir;

  @Test
  void the_measured_server_protects_cognition_caps_background_and_limits_clients()
      throws Exception {
    OverloadConfig settings = OverloadConfig.of(16, 300, OverloadSizes.FULL);
    ServerConfig config = OverloadConfig.load(dir, settings.yaml(dir));
    Map<String, Lane> lanes =
        config.lanes().stream().collect(Collectors.toMap(Lane::name, Function.identity()));

    assertThat(config.lanes()).extracting(Lane::name).containsExactlyElementsOf(OverloadMix.LANES);
    assertThat(config.workers()).isEqualTo(16);
    assertThat(lanes.get("cognition").isProtected()).isTrue();
    assertThat(lanes.get("cognition").targetWait()).isEqualTo(Duration.ofSeconds(1));
    assertThat(lanes.get("social").isProtected()).isFalse();
    assertThat(lanes.get("sensory").capacity()).isEqualTo(600); // 2 s of 300 jobs/s
    assertThat(lanes.get("sensory").maxReady()).isEqualTo(Lane.UNLIMITED);
    assertThat(lanes.get("background").maxReady()).isEqualTo(3_000); // 10 s of 300 jobs/s
    assertThat(lanes.get("background").targetWait()).isEqualTo(Duration.ofSeconds(60));
    assertThat(settings.offered()).isEqualTo(600);
    assertThat(config.httpLimits().enabledOn(true)).isTrue();
    assertThat(config.httpLimits().write().requests()).isEqualTo(1_200);
    assertThat(config.httpLimits().write().window()).isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void the_calibration_server_has_the_same_lanes_and_refuses_nothing() throws Exception {
    ServerConfig config = OverloadConfig.load(dir, OverloadConfig.calibrationYaml(16, dir));

    assertThat(config.lanes()).extracting(Lane::name).containsExactlyElementsOf(OverloadMix.LANES);
    assertThat(config.lanes()).extracting(Lane::weight).containsExactly(8, 4, 2, 1);
    assertThat(config.lanes()).extracting(Lane::reserved).containsExactly(0, 1, 1, 2);
    assertThat(config.lanes()).allMatch(l -> l.maxReady() == Lane.UNLIMITED);
  }
}
