// The OWL API's own judgement of a file: parse it (every parser the OWL API has, as Protégé does), then
// run the OWL 2 DL profile check. Prints the format, counts and each violation; exit 0 when the file is in
// OWL 2 DL, 1 with violations, 2 when it does not parse (or parses with unparsed triples).
//
//   java -cp <owlapi jars> tests/owlapi/ProfileCheck.java FILE
//
// Run by tests/test_owl_tools.py with Debian's libowlapi-java (OWL API 5.1.20).
import java.io.File;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.semanticweb.owlapi.apibinding.OWLManager;
import org.semanticweb.owlapi.formats.RDFDocumentFormat;
import org.semanticweb.owlapi.io.RDFTriple;
import org.semanticweb.owlapi.model.OWLDocumentFormat;
import org.semanticweb.owlapi.model.OWLOntology;
import org.semanticweb.owlapi.model.OWLOntologyManager;
import org.semanticweb.owlapi.profiles.OWL2DLProfile;
import org.semanticweb.owlapi.profiles.OWLProfileReport;
import org.semanticweb.owlapi.profiles.OWLProfileViolation;

public class ProfileCheck {
    public static void main(String[] args) throws Exception {
        OWLOntologyManager manager = OWLManager.createOWLOntologyManager();
        OWLOntology ontology;
        try {
            ontology = manager.loadOntologyFromOntologyDocument(new File(args[0]));
        } catch (Exception e) {
            System.out.println("parse error: " + e);
            System.exit(2);
            return;
        }
        OWLDocumentFormat format = manager.getOntologyFormat(ontology);
        System.out.println("format: " + format.getKey());
        System.out.println("axioms: " + ontology.getAxiomCount());
        System.out.println("classes: " + ontology.classesInSignature().count());
        int unparsed = 0;
        if (format instanceof RDFDocumentFormat) {
            Set<RDFTriple> triples = ((RDFDocumentFormat) format).getOntologyLoaderMetaData()
                .map(m -> m.getUnparsedTriples().collect(java.util.stream.Collectors.toSet()))
                .orElse(Set.of());
            unparsed = triples.size();
            Set<String> shown = new TreeSet<>();
            for (RDFTriple t : triples) {
                shown.add(t.toString());
            }
            shown.stream().limit(20).forEach(t -> System.out.println("unparsed triple: " + t));
        }
        System.out.println("unparsed triples: " + unparsed);
        OWLProfileReport report = new OWL2DLProfile().checkOntology(ontology);
        List<OWLProfileViolation> violations = report.getViolations();
        Set<String> lines = new TreeSet<>();
        for (OWLProfileViolation v : violations) {
            lines.add(v.getClass().getSimpleName() + ": " + v.toString().replace('\n', ' '));
        }
        for (String line : lines) {
            System.out.println("violation: " + line);
        }
        System.out.println("violations: " + violations.size());
        System.exit(unparsed > 0 ? 2 : (violations.isEmpty() ? 0 : 1));
    }
}
