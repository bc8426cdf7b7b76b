package dev.kafkaconsumer.core.internal.share;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;

class OffsetMapTest {

    @Test
    void itAgreesWithAHashMapOverManyPutsGetsAndRemovesOfNearbyOffsets() {
        OffsetMap<String> map = new OffsetMap<>();
        Map<Long, String> expected = new HashMap<>();
        Random random = new Random(42);
        for (int i = 0; i < 200_000; i++) {
            long offset = 1_000_000L + random.nextInt(3_000);
            switch (random.nextInt(3)) {
                case 0 -> assertThat(map.put(offset, "v" + i)).isEqualTo(expected.put(offset, "v" + i));
                case 1 -> assertThat(map.remove(offset)).isEqualTo(expected.remove(offset));
                default -> assertThat(map.get(offset)).isEqualTo(expected.get(offset));
            }
            assertThat(map.size()).isEqualTo(expected.size());
        }
        List<String> values = new ArrayList<>();
        map.forEach(values::add);
        assertThat(values).containsExactlyInAnyOrderElementsOf(expected.values());
    }

    @Test
    void aBatchOfConsecutiveOffsetsCanBeTakenInAndRemovedInAnyOrder() {
        OffsetMap<Long> map = new OffsetMap<>();
        for (long offset = 500; offset < 1_500; offset++) {
            map.put(offset, offset);
        }
        for (long offset = 1_499; offset >= 500; offset -= 2) {
            assertThat(map.remove(offset)).isEqualTo(offset);
        }
        for (long offset = 500; offset < 1_500; offset++) {
            assertThat(map.get(offset)).isEqualTo(offset % 2 == 0 ? offset : null);
        }
        map.clear();
        assertThat(map.isEmpty()).isTrue();
        assertThat(map.get(500)).isNull();
    }
}
