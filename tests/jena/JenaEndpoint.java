// A SPARQL 1.1 protocol endpoint (query only) over Apache Jena ARQ, for the parity tests.
//
// Debian packages Jena's libraries (libapache-jena-java) but not Fuseki; this one-file program,
// run with the JDK's source launcher (`java -cp JARS JenaEndpoint.java HOST PORT GRAPH FILE ...`),
// loads each RDF file into its named graph of an in-memory dataset and also into the default
// graph (so the default graph is the union of the parts, as the other stores are queried), then
// answers GET/POST `query=` requests with SPARQL JSON results (Turtle for CONSTRUCT/DESCRIBE).
// It is test scaffolding only: Jena's own parser and engine answer every query.

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import org.apache.jena.query.Dataset;
import org.apache.jena.query.DatasetFactory;
import org.apache.jena.query.Query;
import org.apache.jena.query.QueryExecution;
import org.apache.jena.query.QueryExecutionFactory;
import org.apache.jena.query.QueryFactory;
import org.apache.jena.query.ResultSetFormatter;
import org.apache.jena.rdf.model.Model;
import org.apache.jena.riot.Lang;
import org.apache.jena.riot.RDFDataMgr;

public class JenaEndpoint {
    public static void main(String[] args) throws Exception {
        String host = args[0];
        int port = Integer.parseInt(args[1]);
        Dataset ds = DatasetFactory.create();
        for (int i = 2; i + 1 < args.length; i += 2) {
            RDFDataMgr.read(ds.getNamedModel(args[i]), args[i + 1]);
            RDFDataMgr.read(ds.getDefaultModel(), args[i + 1]);
        }
        HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 64);
        server.createContext("/sparql", exchange -> handle(exchange, ds));
        server.setExecutor(Executors.newFixedThreadPool(2));
        server.start();
        System.out.println("JenaEndpoint listening on " + host + ":" + port);
    }

    static Map<String, String> form(String text) {
        Map<String, String> out = new HashMap<>();
        if (text == null) return out;
        for (String pair : text.split("&")) {
            int eq = pair.indexOf('=');
            if (eq < 0) continue;
            out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return out;
    }

    static void handle(HttpExchange ex, Dataset ds) throws IOException {
        try {
            String queryText = form(ex.getRequestURI().getRawQuery()).get("query");
            if ("POST".equals(ex.getRequestMethod())) {
                String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                String type = String.valueOf(ex.getRequestHeaders().getFirst("Content-Type"));
                queryText = type.startsWith("application/sparql-query") ? body : form(body).get("query");
            }
            if (queryText == null) {
                send(ex, 400, "text/plain", "no query".getBytes(StandardCharsets.UTF_8));
                return;
            }
            Query query;
            try {
                query = QueryFactory.create(queryText);
            } catch (Exception e) {
                send(ex, 400, "text/plain", ("Parse error: " + e.getMessage()).getBytes(StandardCharsets.UTF_8));
                return;
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            String type;
            try (QueryExecution qe = QueryExecutionFactory.create(query, ds)) {
                if (query.isSelectType()) {
                    ResultSetFormatter.outputAsJSON(out, qe.execSelect());
                    type = "application/sparql-results+json";
                } else if (query.isAskType()) {
                    ResultSetFormatter.outputAsJSON(out, qe.execAsk());
                    type = "application/sparql-results+json";
                } else {
                    Model m = query.isConstructType() ? qe.execConstruct() : qe.execDescribe();
                    RDFDataMgr.write(out, m, Lang.TURTLE);
                    type = "text/turtle";
                }
            }
            send(ex, 200, type, out.toByteArray());
        } catch (Exception e) {
            send(ex, 500, "text/plain", ("Error: " + e).getBytes(StandardCharsets.UTF_8));
        } finally {
            ex.close();
        }
    }

    static void send(HttpExchange ex, int status, String type, byte[] body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", type + "; charset=utf-8");
        ex.sendResponseHeaders(status, body.length);
        try (OutputStream os = ex.getResponseBody()) {
            os.write(body);
        }
    }
}
