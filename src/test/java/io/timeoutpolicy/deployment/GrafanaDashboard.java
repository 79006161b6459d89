package io.timeoutpolicy.deployment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The Grafana dashboard in deploy/grafana: its PromQL queries and the metric names they read. */
final class GrafanaDashboard {

    static final Path FILE = Path.of("deploy/grafana/timeout-policy-service.json");
    private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "bool", "offset", "by", "without", "on",
            "ignoring", "group_left", "group_right", "inf", "nan", "atan2");

    private GrafanaDashboard() {
    }

    static JsonNode read() throws IOException {
        return new ObjectMapper().readTree(FILE.toFile());
    }

    /** Every query of every panel (rows included) and of the template variables. */
    static List<String> queries(JsonNode dashboard) {
        List<String> queries = new ArrayList<>();
        collect(dashboard.path("panels"), queries);
        dashboard.path("templating").path("list").forEach(variable -> {
            if ("query".equals(variable.path("type").asText())) {
                queries.add(variable.path("query").path("query").asText());
            }
        });
        return queries;
    }

    private static void collect(JsonNode panels, List<String> queries) {
        for (JsonNode panel : panels) {
            panel.path("targets").forEach(target -> queries.add(target.path("expr").asText()));
            collect(panel.path("panels"), queries);
        }
    }

    /**
     * The metric names a PromQL expression reads: what is left once strings, label matchers, ranges, grouping
     * clauses and Grafana variables are taken out, minus function names (followed by a parenthesis) and keywords.
     * {@code label_values(metric, label)} of a template variable reads {@code metric}.
     */
    static Set<String> metricNames(String expression) {
        String labelValues = expression.replaceAll("^label_values\\(\\s*([a-zA-Z_:][a-zA-Z0-9_:]*)\\s*,.*\\)$", "$1");
        String bare = labelValues.replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", " ")
                .replaceAll("\\{[^}]*}", " ")
                .replaceAll("\\[[^\\]]*]", " ")
                .replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ")
                .replaceAll("\\$\\{?\\w+}?", " ")
                .replaceAll("\\b\\d+(\\.\\d+)?([eE][+-]?\\d+)?\\b", " ");
        Set<String> names = new TreeSet<>();
        Matcher name = NAME.matcher(bare);
        while (name.find()) {
            String rest = bare.substring(name.end()).stripLeading();
            if (!rest.startsWith("(") && !KEYWORDS.contains(name.group().toLowerCase())) {
                names.add(name.group());
            }
        }
        return names;
    }

    /** Every metric name the dashboard reads. */
    static Set<String> metricNames(JsonNode dashboard) {
        Set<String> names = new TreeSet<>();
        queries(dashboard).forEach(query -> names.addAll(metricNames(query)));
        return names;
    }
}
