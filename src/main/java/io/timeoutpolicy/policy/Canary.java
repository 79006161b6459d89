package io.timeoutpolicy.policy;

import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/**
 * Which instances a canary serves (SPEC 10.2): {@code crc32("<environment>:<instance>") mod 100 < percent}, the
 * CRC-32 of the UTF-8 bytes as {@code java.util.zip.CRC32} and Python's {@code zlib.crc32} compute it, so a
 * client can tell its own cohort and the same instance always lands in the same one.
 */
public final class Canary {

    private Canary() {
    }

    /** The instance's slot, 0 to 99. */
    public static int slot(String environment, String instance) {
        CRC32 crc = new CRC32();
        crc.update((environment + ":" + instance).getBytes(StandardCharsets.UTF_8));
        return (int) (crc.getValue() % 100);
    }

    public static boolean inCohort(String environment, String instance, int percent) {
        return instance != null && !instance.isEmpty() && slot(environment, instance) < percent;
    }
}
