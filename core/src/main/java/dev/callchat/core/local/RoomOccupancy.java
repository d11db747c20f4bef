package dev.callchat.core.local;

/**
 * What the {@link LocalRoomHub} tells about its rooms, so that state kept per room elsewhere (the
 * chatroom directory) lives while a room has members and expires once it has none. Called under the
 * room's monitor, in the order the room's lifecycle happened; implementations must not call the hub.
 */
interface RoomOccupancy {
    /** Ignores everything. */
    RoomOccupancy NONE = new RoomOccupancy() {
        @Override
        public void occupied(String room) {
        }

        @Override
        public void vacated(String room) {
        }
    };

    /** @param room the room that just got its first member */
    void occupied(String room);

    /** @param room the room whose last member just left */
    void vacated(String room);
}
