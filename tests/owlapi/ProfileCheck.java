// The OWL API's own judgement of a file: parse it (every parser the OWL API has, as Protégé does), then
// run the OWL 2 DL profile check. Prints the format, counts and each violation; exit 0 when the file is in
// OWL 2 DL, 1 with violations, 2 when it does not parse (or parses with unparsed triples); with several
// files, the worst of these.
//
//   java -cp <owlapi jars> tests/owlapi/ProfileCheck.java FILE...
//
// Run by tests/test_owl_tools.py with Debian's libowlapi-java (OWL API 5.1.20).
import java.io.File;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.semanticweb.owlapi.apibinding.OWLManager;
import org.semanticweb.owlapi.formats.RDFDocumentFormat;
import org.semanticweb.owlapi.model.OWLDocumentFormat;
import org.semanticweb.owlapi.model.OWLOntology;
import org.semanticweb.owlapi.model.OWLOntologyManager;
import org.semanticweb.owlapi.profiles.OWL2DLProfile;
import org.semanticweb.owlapi.profiles.OWLProfileViolation;

public class ProfileCheck {
    public static void main(String[] args) {
        int worst = 0;
        for (String path : args) {
            worst = Math.max(worst, check(path));
        }
        System.exit(worst);
    }

    // One file, a fresh manager each time; every line printed starts with the file's path and a tab.
    static int check(String path) {
        OWLOntologyManager manager = OWLManager.createOWLOntologyManager();
        OWLOntology ontology;
        try {
            ontology = manager.loadOntologyFromOntologyDocument(new File(path));
        } catch (Exception e) {
            System.out.println(path + "\tparse error: " + String.valueOf(e).replace('\n', ' '));
            return 2;
        }
        OWLDocumentFormat format = manager.getOntologyFormat(ontology);
        System.out.println(path + "\tformat: " + format.getKey());
        System.out.println(path + "\taxioms: " + ontology.getAxiomCount());
        System.out.println(path + "\tclasses: " + ontology.classesInSignature().count());
        Set<String> unparsed = new TreeSet<>();
        if (format instanceof RDFDocumentFormat) {
            ((RDFDocumentFormat) format).getOntologyLoaderMetaData()
                .ifPresent(m -> m.getUnparsedTriples().forEach(t -> unparsed.add(t.toString())));
        }
        unparsed.stream().limit(20).forEach(t -> System.out.println(path + "\tunparsed triple: " + t));
        System.out.println(path + "\tunparsed triples: " + unparsed.size());
        List<OWLProfileViolation> violations = new OWL2DLProfile().checkOntology(ontology).getViolations();
        Set<String> lines = new TreeSet<>();
        for (OWLProfileViolation v : violations) {
            lines.add(v.getClass().getSimpleName() + ": " + v.toString().replace('\n', ' '));
        }
        lines.stream().limit(50).forEach(l -> System.out.println(path + "\tviolation: " + l));
        System.out.println(path + "\tviolations: " + violations.size());
        return unparsed.isEmpty() ? (violations.isEmpty() ? 0 : 1) : 2;
    }
}
