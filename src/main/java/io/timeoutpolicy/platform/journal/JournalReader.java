package io.timeoutpolicy.platform.journal;

import io.quarkus.logging.Log;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a journal file when it is opened: items in order, minus those acknowledged. The readable part ends at
 * the first record that is cut short or fails its checksum (a crash in the middle of a write); the file is cut
 * there, so that new records never follow a torn one.
 */
final class JournalReader {

    private JournalReader() {
    }

    static Journal.Replay read(FileChannel channel, Path file) throws IOException {
        List<byte[]> items = new ArrayList<>();
        long acknowledged = 0;
        long position = 0;
        long size = channel.size();
        int torn = 0;
        ByteBuffer header = ByteBuffer.allocate(Journal.HEADER);
        while (position < size) {
            header.clear();
            if (readFully(channel, header, position) < Journal.HEADER) {
                torn = 1;
                break;
            }
            header.flip();
            byte type = header.get();
            int length = header.getInt();
            int checksum = header.getInt();
            if ((type != Journal.ITEM && type != Journal.ACK) || length < 0 || length > Journal.MAX_PAYLOAD
                    || position + Journal.HEADER + length > size) {
                torn = 1;
                break;
            }
            ByteBuffer payload = ByteBuffer.allocate(length);
            readFully(channel, payload, position + Journal.HEADER);
            byte[] bytes = payload.array();
            if (Journal.checksum(type, bytes) != checksum) {
                torn = 1;
                break;
            }
            if (type == Journal.ITEM) {
                items.add(bytes);
            } else {
                acknowledged += ByteBuffer.wrap(bytes).getInt();
            }
            position += Journal.HEADER + length;
        }
        if (torn > 0) {
            Log.warnf("The journal %s ends with a torn record at byte %d of %d: skipped", file, position, size);
            channel.truncate(position);
            channel.force(false);
        }
        channel.position(position);
        int done = (int) Math.min(acknowledged, items.size());
        return new Journal.Replay(new ArrayList<>(items.subList(done, items.size())), torn);
    }

    private static int readFully(FileChannel channel, ByteBuffer buffer, long position) throws IOException {
        int total = 0;
        while (buffer.hasRemaining()) {
            int n = channel.read(buffer, position + total);
            if (n < 0) {
                break;
            }
            total += n;
        }
        return total;
    }
}
