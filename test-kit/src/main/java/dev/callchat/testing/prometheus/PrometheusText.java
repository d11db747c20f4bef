package dev.callchat.testing.prometheus;

import dev.callchat.testing.prometheus.grammar.PromTextLexer;
import dev.callchat.testing.prometheus.grammar.PromTextParser;
import org.antlr.v4.runtime.BaseErrorListener;
import org.antlr.v4.runtime.CharStreams;
import org.antlr.v4.runtime.CommonTokenStream;
import org.antlr.v4.runtime.RecognitionException;
import org.antlr.v4.runtime.Recognizer;
import org.antlr.v4.runtime.tree.ParseTreeWalker;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Parses a scrape in the Prometheus text exposition format 0.0.4 with an ANTLR grammar of that format
 * ({@code PromTextLexer.g4}, {@code PromTextParser.g4}), and checks what a grammar cannot: label names, one
 * {@code # TYPE} per family before its samples, samples named after their family, no sample twice.
 * No well-kept Java parser of the format exists on Maven Central (the Prometheus Java client and Micrometer
 * only write it), so the grammar is ours and ANTLR parses it.
 */
public final class PrometheusText {
    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
    private static final List<String> SUFFIXES = List.of("", "_total", "_count", "_sum", "_bucket", "_created");

    /**
     * One sample line.
     *
     * @param name   the sample's metric name, e.g. {@code http_server_requests_seconds_count}
     * @param labels its labels, in the order written
     * @param value  its value
     */
    public record Sample(String name, Map<String, String> labels, double value) {
    }

    private PrometheusText() {
    }

    /**
     * @param scrape the text of a scrape
     * @return its samples, in order
     * @throws IllegalArgumentException naming the line and column where the text leaves the format
     */
    public static List<Sample> parse(String scrape) {
        PromTextLexer lexer = new PromTextLexer(CharStreams.fromString(scrape));
        PromTextParser parser = new PromTextParser(new CommonTokenStream(lexer));
        BaseErrorListener failFast = new BaseErrorListener() {
            @Override
            public void syntaxError(Recognizer<?, ?> recognizer, Object offending, int line, int column, String msg,
                                    RecognitionException e) {
                throw new IllegalArgumentException("not Prometheus text format at line " + line + ":" + column + ": " + msg);
            }
        };
        lexer.removeErrorListeners();
        lexer.addErrorListener(failFast);
        parser.removeErrorListeners();
        parser.addErrorListener(failFast);
        Collector collector = new Collector();
        ParseTreeWalker.DEFAULT.walk(collector, parser.exposition());
        return collector.samples;
    }

    private static final class Collector extends dev.callchat.testing.prometheus.grammar.PromTextParserBaseListener {
        final List<Sample> samples = new ArrayList<>();
        final Map<String, String> types = new HashMap<>();
        final Set<String> seen = new java.util.HashSet<>();

        @Override
        public void exitType(PromTextParser.TypeContext ctx) {
            String family = ctx.TYPE_METRIC().getText();
            if (types.put(family, ctx.KIND().getText().strip()) != null) {
                throw new IllegalArgumentException("# TYPE " + family + " appears twice");
            }
        }

        @Override
        public void exitSample(PromTextParser.SampleContext ctx) {
            String name = ctx.NAME().getText();
            boolean typed = SUFFIXES.stream().anyMatch(suffix -> name.endsWith(suffix)
                    && types.containsKey(name.substring(0, name.length() - suffix.length())));
            if (!typed) {
                throw new IllegalArgumentException("sample " + name + " comes before, or without, its # TYPE line");
            }
            Map<String, String> labels = new LinkedHashMap<>();
            if (ctx.labels() != null) {
                for (PromTextParser.LabelContext label : ctx.labels().label()) {
                    String labelName = label.NAME().getText();
                    if (!LABEL_NAME.matcher(labelName).matches()) {
                        throw new IllegalArgumentException("invalid label name " + labelName + " on " + name);
                    }
                    if (labels.put(labelName, unescape(label.STRING().getText())) != null) {
                        throw new IllegalArgumentException("label " + labelName + " twice on " + name);
                    }
                }
            }
            if (!seen.add(name + labels)) {
                throw new IllegalArgumentException("sample " + name + labels + " appears twice");
            }
            samples.add(new Sample(name, labels, value(ctx.VALUE(0).getText())));
        }
    }

    private static double value(String text) {
        return switch (text) {
            case "NaN" -> Double.NaN;
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            default -> Double.parseDouble(text);
        };
    }

    private static String unescape(String quoted) {
        String inner = quoted.substring(1, quoted.length() - 1);
        StringBuilder out = new StringBuilder(inner.length());
        for (int i = 0; i < inner.length(); i++) {
            char c = inner.charAt(i);
            if (c == '\\') {
                char next = inner.charAt(++i);
                out.append(next == 'n' ? '\n' : next);
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
