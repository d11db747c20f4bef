package dev.callchat.core.local;

import com.fasterxml.jackson.databind.JsonNode;
import dev.callchat.core.CallChatException;
import dev.callchat.core.ErrorKind;
import dev.callchat.core.local.HubFixture.Member;
import dev.callchat.core.spi.FileDownload;
import dev.callchat.core.spi.SharedFile;
import dev.callchat.core.spi.UploadLimits;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class SharedFilesTest {
    private static final UploadLimits SMALL = new UploadLimits(100, 250, 400);

    private static byte[] text(int size, char fill) {
        byte[] bytes = new byte[size];
        Arrays.fill(bytes, (byte) fill);
        return bytes;
    }

    private static ErrorKind kindOf(Runnable action) {
        try {
            action.run();
        } catch (CallChatException e) {
            return e.kind();
        }
        throw new AssertionError("expected a CallChatException");
    }

    @Test
    void aSharedFileIsAnnouncedToTheRoomAndItsHistory() {
        try (HubFixture fixture = new HubFixture(HubFixture.generous(), SMALL)) {
            Member ana = fixture.join("ana", "Room");
            Member bob = fixture.join("bob", "Room");

            SharedFile file = fixture.hub.upload(fixture.token("ana", "Room"), "notes.txt", text(10, 'a'));

            JsonNode chat = bob.peer().last("chat");
            assertThat(chat.path("author").asText()).isEqualTo("ana");
            assertThat(chat.path("text").asText()).isEqualTo("notes.txt");
            assertThat(chat.path("file").path("id").asText()).isEqualTo(file.id()).matches("[0-9a-f]{32}");
            assertThat(chat.path("file").path("type").asText()).isEqualTo("text/plain; charset=utf-8");
            assertThat(chat.path("file").path("size").asLong()).isEqualTo(10);
            assertThat(chat.path("file").path("image").asBoolean()).isFalse();
            assertThat(ana.peer().last("chat").path("file").path("id").asText()).isEqualTo(file.id());
            Member cleo = fixture.join("cleo", "Room");
            assertThat(cleo.peer().last("welcome").path("history").get(0).path("file").path("name").asText())
                    .isEqualTo("notes.txt");
        }
    }

    @Test
    void welcomeTellsTheLargestFileAMemberMayShare() {
        try (HubFixture fixture = new HubFixture(HubFixture.generous(), SMALL)) {
            Member ana = fixture.join("ana", "Room");

            assertThat(ana.peer().last("welcome").path("max_upload").asLong()).isEqualTo(100);
        }
    }

    @Test
    void aMemberOfTheRoomDownloadsTheSameBytes() {
        try (HubFixture fixture = new HubFixture(HubFixture.generous(), SMALL)) {
            fixture.join("ana", "Room");
            byte[] png = Arrays.copyOf(FileTypeTest.PNG, 64);
            SharedFile file = fixture.hub.upload(fixture.token("ana", "Room"), "cat.png", png);

            FileDownload download = fixture.hub.download(fixture.token("bob", "Room"), file.id());

            assertThat(download.content()).isEqualTo(png);
            assertThat(download.file().contentType()).isEqualTo("image/png");
            assertThat(download.file().image()).isTrue();
        }
    }

    @Test
    void aMemberOfAnotherRoomIsForbidden() {
        try (HubFixture fixture = new HubFixture(HubFixture.generous(), SMALL)) {
            fixture.join("ana", "Room");
            SharedFile file = fixture.hub.upload(fixture.token("ana", "Room"), "a.txt", text(5, 'x'));

            assertThat(kindOf(() -> fixture.hub.download(fixture.token("mallory", "Other"), file.id())))
                    .isEqualTo(ErrorKind.FORBIDDEN);
        }
    }

    @Test
    void aVideoOnlyTokenCanNeitherShareNorFetch() {
        try (HubFixture fixture = new HubFixture(HubFixture.generous(), SMALL)) {
            fixture.join("ana", "Room");
            SharedFile file = fixture.hub.upload(fixture.token("ana", "Room"), "a.txt", text(5, 'x'));

            assertThat(kindOf(() -> fixture.hub.download(fixture.videoOnlyToken("vid", "Room"), file.id())))
                    .isEqualTo(ErrorKind.FORBIDDEN);
            assertThat(kindOf(() -> fixture.hub.upload(fixture.videoOnlyToken("vid", "Room"), "b.txt", text(5, 'y'))))
                    .isEqualTo(ErrorKind.FORBIDDEN);
        }
    }

    @Test
    void invalidOrMissingTokensAreUnauthorized() {
        try (HubFixture fixture = new HubFixture(HubFixture.generous(), SMALL)) {
            fixture.join("ana", "Room");
            SharedFile file = fixture.hub.upload(fixture.token("ana", "Room"), "a.txt", text(5, 'x'));
            String forged = fixture.token("ana", "Room").substring(0, 40) + "x" + fixture.token("ana", "Room").substring(41);

            assertThat(kindOf(() -> fixture.hub.download("not-a-jwt", file.id()))).isEqualTo(ErrorKind.UNAUTHORIZED);
            assertThat(kindOf(() -> fixture.hub.download(forged, file.id()))).isEqualTo(ErrorKind.UNAUTHORIZED);
            assertThat(kindOf(() -> fixture.hub.upload("", "b.txt", text(5, 'y')))).isEqualTo(ErrorKind.UNAUTHORIZED);
        }
    }

    @Test
    void sharingNeedsAnOpenConnectionToTheRoom() {
        try (HubFixture fixture = new HubFixture(HubFixture.generous(), SMALL)) {
            fixture.join("ana", "Room");

            assertThat(kindOf(() -> fixture.hub.upload(fixture.token("bob", "Room"), "a.txt", text(5, 'x'))))
                    .isEqualTo(ErrorKind.FORBIDDEN);
            assertThat(kindOf(() -> fixture.hub.authorizeUpload(fixture.token("bob", "Empty"))))
                    .isEqualTo(ErrorKind.FORBIDDEN);
            fixture.hub.authorizeUpload(fixture.token("ana", "Room"));
        }
    }

    @Test
    void refusedUploadsLeaveNoTrace() {
        try (HubFixture fixture = new HubFixture(HubFixture.generous(), SMALL)) {
            Member ana = fixture.join("ana", "Room");
            String token = fixture.token("ana", "Room");
            byte[] binary = {'M', 'Z', 0, 1, 2};

            assertThat(kindOf(() -> fixture.hub.upload(token, "big.txt", text(101, 'a')))).isEqualTo(ErrorKind.PAYLOAD_TOO_LARGE);
            assertThat(kindOf(() -> fixture.hub.upload(token, "evil.png", binary))).isEqualTo(ErrorKind.UNSUPPORTED_MEDIA_TYPE);
            assertThat(kindOf(() -> fixture.hub.upload(token, "empty.txt", new byte[0]))).isEqualTo(ErrorKind.BAD_REQUEST);

            assertThat(ana.peer().frames("chat")).isEmpty();
            Member bob = fixture.join("bob", "Room");
            assertThat(bob.peer().last("welcome").path("history")).isEmpty();
            // The whole room cap is still free: two files of 100 bytes fit without evicting anything.
            SharedFile first = fixture.hub.upload(token, "1.txt", text(100, 'a'));
            fixture.hub.upload(token, "2.txt", text(100, 'b'));
            assertThat(fixture.hub.download(token, first.id()).content()).hasSize(100);
        }
    }

    @Test
    void aFullRoomForgetsItsOldestFilesFirst() {
        try (HubFixture fixture = new HubFixture(HubFixture.generous(), SMALL)) {
            fixture.join("ana", "Room");
            String token = fixture.token("ana", "Room");
            SharedFile first = fixture.hub.upload(token, "1.txt", text(100, 'a'));
            SharedFile second = fixture.hub.upload(token, "2.txt", text(100, 'b'));

            SharedFile third = fixture.hub.upload(token, "3.txt", text(100, 'c'));

            assertThat(kindOf(() -> fixture.hub.download(token, first.id()))).isEqualTo(ErrorKind.NOT_FOUND);
            assertThat(fixture.hub.download(token, second.id()).content()[0]).isEqualTo((byte) 'b');
            assertThat(fixture.hub.download(token, third.id()).content()[0]).isEqualTo((byte) 'c');
        }
    }

    @Test
    void aFullHubRefusesUploadsWithoutTouchingAnyRoom() {
        try (HubFixture fixture = new HubFixture(HubFixture.generous(), SMALL)) {
            fixture.join("ana", "A");
            fixture.join("bob", "B");
            SharedFile a1 = fixture.hub.upload(fixture.token("ana", "A"), "a1.txt", text(100, 'a'));
            fixture.hub.upload(fixture.token("ana", "A"), "a2.txt", text(100, 'a'));
            fixture.hub.upload(fixture.token("bob", "B"), "b1.txt", text(100, 'b'));
            fixture.hub.upload(fixture.token("bob", "B"), "b2.txt", text(100, 'b'));

            assertThat(kindOf(() -> fixture.hub.upload(fixture.token("bob", "B"), "b3.txt", text(50, 'b'))))
                    .isEqualTo(ErrorKind.SERVICE_UNAVAILABLE);
            assertThat(fixture.hub.download(fixture.token("ana", "A"), a1.id()).content()).hasSize(100);
        }
    }

    @Test
    void oneMemberCannotFillTheHubFromSeveralRooms() {
        UploadLimits limits = UploadLimits.forMaxFile(100); // room 500, member 500, hub 2000
        try (HubFixture fixture = new HubFixture(HubFixture.generous(), limits)) {
            for (String room : List.of("A", "B", "C", "D")) {
                fixture.join("ana", room);
            }
            fixture.join("bob", "E");
            Member watcher = fixture.join("cat", "D");
            for (int i = 0; i < 5; i++) {
                fixture.hub.upload(fixture.token("ana", i < 3 ? "A" : "B"), "a" + i + ".txt", text(100, 'a'));
            }

            for (String room : List.of("B", "C", "D")) {
                CallChatException refused = catchThrowableOfType(CallChatException.class,
                        () -> fixture.hub.upload(fixture.token("ana", room), "more.txt", text(100, 'a')));
                assertThat(refused.kind()).isEqualTo(ErrorKind.PAYLOAD_TOO_LARGE);
                assertThat(refused.detail()).contains("500");
            }
            assertThat(watcher.peer().frames("chat")).as("a refused upload announces nothing").isEmpty();
            for (int i = 0; i < 5; i++) {
                fixture.hub.upload(fixture.token("bob", "E"), "b" + i + ".txt", text(100, 'b'));
            }
        }
    }

    @Test
    void aMemberWhoseOwnOldFilesItsRoomForgetsCanKeepSharing() {
        try (HubFixture fixture = new HubFixture(HubFixture.generous(), UploadLimits.forMaxFile(100))) {
            fixture.join("ana", "A");
            for (int i = 0; i < 20; i++) {
                fixture.hub.upload(fixture.token("ana", "A"), "a" + i + ".txt", text(100, 'a'));
            }
        }
    }

    @Test
    void quotaIsFreedWhenTheRoomHoldingTheFilesEmpties() {
        try (HubFixture fixture = new HubFixture(HubFixture.generous(), UploadLimits.forMaxFile(100))) {
            Member inA = fixture.join("ana", "A");
            fixture.join("ana", "B");
            Member bob = fixture.join("bob", "A");
            for (int i = 0; i < 5; i++) {
                fixture.hub.upload(fixture.token("ana", "A"), "a" + i + ".txt", text(100, 'a'));
            }
            assertThat(kindOf(() -> fixture.hub.upload(fixture.token("ana", "B"), "b.txt", text(100, 'a'))))
                    .isEqualTo(ErrorKind.PAYLOAD_TOO_LARGE);

            inA.connection().onClose();
            assertThat(kindOf(() -> fixture.hub.upload(fixture.token("ana", "B"), "b.txt", text(100, 'a'))))
                    .as("ana's files stay while bob is in A").isEqualTo(ErrorKind.PAYLOAD_TOO_LARGE);
            bob.connection().onClose();

            fixture.hub.upload(fixture.token("ana", "B"), "b.txt", text(100, 'a'));
        }
    }

    @Test
    void filesOfOthersThatARoomForgetsFreeTheirQuota() {
        try (HubFixture fixture = new HubFixture(HubFixture.generous(), UploadLimits.forMaxFile(100))) {
            fixture.join("ana", "A");
            fixture.join("ana", "B");
            fixture.join("bob", "A");
            for (int i = 0; i < 5; i++) {
                fixture.hub.upload(fixture.token("ana", "A"), "a" + i + ".txt", text(100, 'a'));
            }
            for (int i = 0; i < 5; i++) {
                fixture.hub.upload(fixture.token("bob", "A"), "b" + i + ".txt", text(100, 'b')); // A forgets ana's
            }

            fixture.hub.upload(fixture.token("ana", "B"), "again.txt", text(100, 'a'));
        }
    }

    @Test
    void filesAreDroppedWithTheirRoomAndTheSpaceIsFreed() {
        try (HubFixture fixture = new HubFixture(HubFixture.generous(), SMALL)) {
            Member ana = fixture.join("ana", "A");
            fixture.join("bob", "B");
            SharedFile a1 = fixture.hub.upload(fixture.token("ana", "A"), "a1.txt", text(100, 'a'));
            fixture.hub.upload(fixture.token("ana", "A"), "a2.txt", text(100, 'a'));
            fixture.hub.upload(fixture.token("bob", "B"), "b1.txt", text(100, 'b'));
            fixture.hub.upload(fixture.token("bob", "B"), "b2.txt", text(100, 'b'));

            ana.connection().onClose();

            assertThat(kindOf(() -> fixture.hub.download(fixture.token("ana", "A"), a1.id()))).isEqualTo(ErrorKind.NOT_FOUND);
            fixture.hub.upload(fixture.token("bob", "B"), "b3.txt", text(50, 'b'));
        }
    }

    @Test
    void fileNamesAreCleanedOfPathsAndControlCharacters() {
        assertThat(LocalRoomHub.cleanName("../../etc/passwd")).isEqualTo("_.._etc_passwd");
        assertThat(LocalRoomHub.cleanName("a\u0000b\u202ec.txt")).isEqualTo("abc.txt");
        assertThat(LocalRoomHub.cleanName("  ")).isEqualTo("file");
        assertThat(LocalRoomHub.cleanName("\u200B\u3164\u00A0")).as("nothing visible").isEqualTo("file");
        assertThat(LocalRoomHub.cleanName("cat\u200B\u00A0 \u00ADphoto.png")).as("the same rule as names").isEqualTo("cat photo.png");
        assertThat(LocalRoomHub.cleanName(null)).isEqualTo("file");
        assertThat(LocalRoomHub.cleanName("x".repeat(300))).hasSize(200);
        assertThat(LocalRoomHub.cleanName("Grüße.txt".getBytes(StandardCharsets.UTF_8).length > 0 ? "Grüße.txt" : ""))
                .isEqualTo("Grüße.txt");
    }
}
