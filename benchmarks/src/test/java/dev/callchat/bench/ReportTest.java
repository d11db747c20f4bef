package dev.callchat.bench;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ReportTest {
    @Test
    void rendersOneTablePerSectionWithValueTargetAndMark() {
        Report report = new Report();
        report.header("cores: 2");
        report.section("4. Stampede").row("conversations created", "1", "1", Report.Verdict.PASS)
                .row("p99", "12 | 13", "-", Report.Verdict.INFO);

        String md = report.toMarkdown();

        assertThat(md).contains("- cores: 2")
                .contains("## 4. Stampede\n\n| what | value | target | result |")
                .contains("| conversations created | 1 | 1 | pass |")
                .contains("| p99 | 12 \\| 13 | - | - |");
    }

    @Test
    void countsOnlyMissedRowsAsMisses() {
        Report report = new Report();
        report.section("s").row("a", "1", "1", Report.Verdict.MISS).row("b", "1", "1", Report.Verdict.PASS)
                .row(Report.Row.notAvailable("c", "1", "not merged"));

        assertThat(report.misses()).isEqualTo(1);
        assertThat(report.toMarkdown()).contains("- result: 1 pass, 1 miss, 1 not available");
        assertThat(report.toMarkdown()).contains("| c | not available: not merged | 1 | not available |");
    }
}
