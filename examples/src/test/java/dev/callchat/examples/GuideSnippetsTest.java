package dev.callchat.examples;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docs/embedding.md quotes the examples; this keeps every quote identical to its source region
 * ({@code // embed:NAME} … {@code // end:NAME}) and every region quoted.
 */
class GuideSnippetsTest {
    private static final Path ROOT = Path.of("").toAbsolutePath().getParent();
    private static final Pattern QUOTE = Pattern.compile("<!-- snippet: ([^#]+)#([\\w-]+) -->\\n```\\w*\\n(.*?)\\n```", Pattern.DOTALL);

    @Test
    void everySnippetInTheGuideIsItsSourceRegionVerbatim() throws IOException {
        String guide = Files.readString(ROOT.resolve("docs/embedding.md"));
        Matcher m = QUOTE.matcher(guide);
        int quoted = 0;
        while (m.find()) {
            quoted++;
            assertThat(m.group(3)).as(m.group(1) + "#" + m.group(2)).isEqualTo(region(ROOT.resolve(m.group(1)), m.group(2)));
        }
        assertThat(quoted).isGreaterThanOrEqualTo(5);
    }

    /** The HTML comment naming a snippet's source is invisible on a rendered page: a link must say it too. */
    @Test
    void everySnippetsSourceFileIsNamedVisibly() throws IOException {
        String guide = Files.readString(ROOT.resolve("docs/embedding.md"));
        Matcher m = QUOTE.matcher(guide);
        while (m.find()) {
            assertThat(guide).as("a visible link to " + m.group(1)).contains("](../" + m.group(1) + ")");
        }
    }

    @Test
    void everyRegionMarkedInTheExamplesIsQuotedInTheGuide() throws IOException {
        String guide = Files.readString(ROOT.resolve("docs/embedding.md"));
        List<String> unquoted = new ArrayList<>();
        try (Stream<Path> files = Files.walk(ROOT.resolve("examples/src/main"))) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                Matcher m = Pattern.compile("(?://|#) embed:([\\w-]+)").matcher(Files.readString(file));
                while (m.find()) {
                    String key = ROOT.relativize(file).toString().replace('\\', '/') + "#" + m.group(1);
                    if (!guide.contains("<!-- snippet: " + key + " -->")) {
                        unquoted.add(key);
                    }
                }
            }
        }
        assertThat(unquoted).isEmpty();
    }

    /** @return the lines between the markers, with their common indentation removed */
    static String region(Path file, String name) throws IOException {
        List<String> lines = Files.readAllLines(file);
        int start = -1;
        int end = -1;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.matches("(//|#) embed:" + Pattern.quote(name))) {
                start = i + 1;
            } else if (line.matches("(//|#) end:" + Pattern.quote(name))) {
                end = i;
            }
        }
        assertThat(start).as("embed:" + name + " in " + file).isPositive();
        assertThat(end).as("end:" + name + " in " + file).isGreaterThanOrEqualTo(start);
        List<String> body = lines.subList(start, end);
        int indent = body.stream().filter(l -> !l.isBlank()).mapToInt(l -> l.length() - l.stripLeading().length()).min().orElse(0);
        return String.join("\n", body.stream().map(l -> l.isBlank() ? "" : l.substring(indent)).toList());
    }
}
