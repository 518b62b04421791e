package io.jdamon.web.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.jdamon.api.RegionSnapshot;

class MetricsServletTest {

    @Test
    void bytesGoToTheFirstBucketAtOrAboveTheirRate() {
        // 20 samples per aggregation: rates 0, 0.1, 0.15, 1.0
        double[] b = MetricsServlet.bytesByRate(List.of(new RegionSnapshot(0, 100, 0, 1),
                new RegionSnapshot(100, 300, 2, 1), new RegionSnapshot(300, 600, 3, 1),
                new RegionSnapshot(600, 1600, 20, 1)), 20);
        assertThat(b[0]).isEqualTo(100);
        assertThat(b[1]).isEqualTo(200);
        assertThat(b[2]).isEqualTo(300);
        assertThat(b[10]).isEqualTo(1000);
        assertThat(b[5]).isZero();
    }
}
