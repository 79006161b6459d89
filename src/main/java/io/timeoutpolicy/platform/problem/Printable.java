package io.timeoutpolicy.platform.problem;

/**
 * Text from a request as an answer or a log line may repeat it: its first 64 characters with every control
 * character and surrogate replaced (U+FFFD), so that an error message never carries back what was refused.
 */
public final class Printable {

    private static final int MAX = 64;

    private Printable() {
    }

    public static String of(String text) {
        if (text == null) {
            return null;
        }
        StringBuilder out = new StringBuilder(Math.min(text.length(), MAX));
        for (int i = 0; i < text.length() && i < MAX; i++) {
            char c = text.charAt(i);
            out.append(c < 0x20 || (c >= 0x7F && c <= 0x9F) || Character.isSurrogate(c) ? '\uFFFD' : c);
        }
        return text.length() > MAX ? out.append('…').toString() : out.toString();
    }
}
