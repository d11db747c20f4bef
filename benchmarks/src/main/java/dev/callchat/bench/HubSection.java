package dev.callchat.bench;

/**
 * Section 6: the local provider's room hub, in process: chat fan-out latency in a 50-member room at
 * 1,000 messages/s, and the highest delivered rate before the first slow-consumer disconnect.
 */
final class HubSection {
    private final Settings settings;

    HubSection(Settings settings) {
        this.settings = settings;
    }

    void run(Report report) {
        Report.Section section = report.section("6. Local hub: chat fan-out");
        section.row(Report.Row.notAvailable("fan-out latency, 50 members, 1,000 messages/s", "- (reported)",
                "the local room hub (branch `local`) is not merged yet"));
        section.row(Report.Row.notAvailable("delivered messages/s before the first slow-consumer disconnect",
                "- (reported)", "the local room hub (branch `local`) is not merged yet"));
    }
}
