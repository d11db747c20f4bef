package dev.callchat.core.local;

import dev.callchat.core.spi.SharedFile;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One room's shared files, oldest first. Not thread-safe: used under the room's monitor. Adding is
 * split in two ({@link #evictionsFor} then {@link #add}) so the hub can check its own cap between
 * them and refuse without having changed anything.
 */
final class RoomFiles {
    /** A file, its bytes and the identity that shared it (whose quota it counts against). */
    record Stored(SharedFile file, byte[] content, String uploader) {
    }

    private final Map<String, Stored> files = new LinkedHashMap<>();
    private long bytes;

    /** @return the oldest files that must go so that {@code size} more bytes fit under {@code cap} */
    List<Stored> evictionsFor(long size, long cap) {
        List<Stored> out = new ArrayList<>();
        long kept = bytes;
        Iterator<Stored> oldestFirst = files.values().iterator();
        while (kept + size > cap && oldestFirst.hasNext()) {
            Stored next = oldestFirst.next();
            out.add(next);
            kept -= next.content().length;
        }
        return out;
    }

    /** Removes the given files, then adds the new one. */
    void add(Stored stored, List<Stored> evictions) {
        for (Stored old : evictions) {
            if (files.remove(old.file().id()) != null) {
                bytes -= old.content().length;
            }
        }
        files.put(stored.file().id(), stored);
        bytes += stored.content().length;
    }

    Stored get(String id) {
        return files.get(id);
    }

    Collection<Stored> all() {
        return files.values();
    }

    long bytes() {
        return bytes;
    }
}
