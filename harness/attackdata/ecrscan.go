package attackdata

import (
	"slices"
	"strings"
	"time"
)

// ESCU's three "AWS ECR Container Scanning Findings ..." detections read
// the findings of ECR's basic image scanning from the response of
// DescribeImageScanFindings, as ESCU's data source for that call lists
// them (responseElements.imageScanFindings.findings{}):
//
//	`cloudtrail` eventSource=ecr.amazonaws.com eventName=DescribeImageScanFindings
//	| spath path=responseElements.imageScanFindings.findings{} output=findings
//	| mvexpand findings | spath input=findings | search severity=HIGH
//	| rename name as finding_name, description as finding_description,
//	  requestParameters.imageId.imageDigest as imageDigest, requestParameters.repositoryName as repository,
//	  userIdentity.principalId as user
//	| eval finding = finding_name.", ".finding_description | eval phase="release" | eval severity="high"
//	| stats min(_time) as firstTime max(_time) as lastTime
//	  by awsRegion, eventName, eventSource, imageDigest, repository, user, src_ip, finding, phase, severity | ctime ...
//
// Medium reads severity=MEDIUM, and Low Informational Unknown severity IN
// ("LOW", "INFORMATIONAL", "UNKNOWN") (written "low"). None reads
// CRITICAL. The records stay under the 5000 bytes that automatic and spath
// extraction read (docs/semantics-events.md, "The 5000-byte cutoff").

// ecrFinding restates one of the three: the severities it keeps and the
// one it writes.
func ecrFinding(keep []string, as string) func(recs []*record) []Row {
	return func(recs []*record) []Row {
		var rs []result
		for _, r := range recs {
			if !isCall("ecr.amazonaws.com", "DescribeImageScanFindings")(r) {
				continue
			}
			findings, _ := r.ResponseElements.Path("imageScanFindings", "findings").([]obj)
			for _, f := range findings {
				sev, _ := f.Get("severity").(string)
				name, _ := f.Get("name").(string)
				desc, _ := f.Get("description").(string)
				if !slices.ContainsFunc(keep, func(k string) bool { return strings.EqualFold(k, sev) }) {
					continue
				}
				rs = append(rs, result{r, map[string][]string{
					"imageDigest": raw(r, "requestParameters.imageId.imageDigest"), "repository": raw(r, "requestParameters.repositoryName"),
					"user": raw(r, "userIdentity.principalId"), "finding": {name + ", " + desc}, "phase": {"release"}, "severity": {as},
				}})
			}
		}
		return expandStats(rs, []string{"awsRegion", "eventName", "eventSource", "imageDigest", "repository", "user", "src_ip", "finding", "phase", "severity"},
			[]statsAgg{{"min_time", "", "firstTime"}, {"max_time", "", "lastTime"}})
	}
}

var (
	detECRFindingsHigh   = ecrFinding([]string{"HIGH"}, "high")
	detECRFindingsMedium = ecrFinding([]string{"MEDIUM"}, "medium")
	detECRFindingsLow    = ecrFinding([]string{"LOW", "INFORMATIONAL", "UNKNOWN"}, "low")
)

// cve is one finding of basic scanning.
type cve struct{ name, severity, pkg, version, score, desc string }

func (c cve) json() obj {
	return obj{{"name", c.name}, {"description", c.desc}, {"uri", "https://security-tracker.debian.org/tracker/" + c.name}, {"severity", c.severity},
		{"attributes", []any{obj{{"key", "package_version"}, {"value", c.version}}, obj{{"key", "package_name"}, {"value", c.pkg}},
			obj{{"key", "CVSS3_SCORE"}, {"value", c.score}}}}}
}

// describeScanFindings records a DescribeImageScanFindings of an image
// whose scan found cves.
func describeScanFindings(b *builder, at time.Duration, a *actor, repo, tag string, cves ...cve) *record {
	digest := "sha256:" + awsID(repo+tag, 32) // as putImage writes it
	counts := obj{}
	findings := []obj{}
	for _, c := range cves {
		findings = append(findings, c.json())
	}
	for _, s := range []string{"CRITICAL", "HIGH", "MEDIUM", "LOW", "INFORMATIONAL", "UNDEFINED"} {
		n := 0
		for _, c := range cves {
			if c.severity == s {
				n++
			}
		}
		if n > 0 {
			counts = append(counts, [2]any{s, n})
		}
	}
	done := b.start.Add(at - 3*time.Minute).UTC().Format("Jan 2, 2006, 3:04:05 PM")
	return b.call(at, a, b.region, "ecr:DescribeImageScanFindings", obj{{"repositoryName", repo}, {"imageId", obj{{"imageDigest", digest}}}},
		obj{{"registryId", account}, {"repositoryName", repo}, {"imageId", obj{{"imageDigest", digest}, {"imageTag", tag}}},
			{"imageScanStatus", obj{{"status", "COMPLETE"}, {"description", "The scan was completed successfully."}}},
			{"imageScanFindings", obj{{"imageScanCompletedAt", done}, {"vulnerabilitySourceUpdatedAt", done}, {"findingSeverityCounts", counts}, {"findings", findings}}}})
}

var (
	cveOpenSSH  = cve{"CVE-2024-6387", "HIGH", "openssh", "1:9.2p1-2+deb12u2", "8.1", "A signal handler race condition in sshd allows remote code execution as root."}
	cveGlibc    = cve{"CVE-2023-4911", "HIGH", "glibc", "2.36-9+deb12u1", "7.8", "A buffer overflow in the dynamic loader's GLIBC_TUNABLES handling allows local privilege escalation."}
	cveCurl     = cve{"CVE-2023-38546", "MEDIUM", "curl", "7.88.1-10+deb12u1", "3.7", "A cookie injection with none file allows an attacker to insert cookies at will."}
	cveXZ       = cve{"CVE-2024-3094", "CRITICAL", "xz-utils", "5.6.0-0.2", "10.0", "Malicious code in the upstream tarballs of xz modifies the liblzma build."}
	cvePerl     = cve{"CVE-2023-31484", "LOW", "perl", "5.36.0-7", "8.1", "CPAN.pm does not verify TLS certificates when downloading distributions."}
	cveTarInfo  = cve{"CVE-2005-2541", "INFORMATIONAL", "tar", "1.34+dfsg-1.2", "", "Tar does not warn when extracting setuid or setgid files."}
	cveUnknown  = cve{"CVE-2026-0001", "UNKNOWN", "libexample", "1.0-1", "", "A vulnerability not yet rated by the source."}
	cveCurlHigh = cve{"CVE-2023-38545", "HIGH", "curl", "7.88.1-10+deb12u1", "9.8", "A heap buffer overflow in the SOCKS5 proxy handshake."}
)

// ecrScanAttack: the intruder's image, pushed over the payments service's
// tag, is scanned on push; the release pipeline reads its findings (two
// HIGH, one MEDIUM, and the backdoored xz, CRITICAL, which none of the
// three detections reads), and later the findings of an old base image
// with LOW, INFORMATIONAL and UNKNOWN ones. The intruder reads the first
// scan too.
func ecrScanAttack(b *builder) {
	ci := &actor{b.env.ci.id, b.env.ci.ip, cliLinux}
	a := intruder("203.0.113.45")
	putImage(b, ms(10, 0), a, "payments-api", "v3.2.0")
	b.call(ms(10, 1), a, b.region, "ecr:DescribeImages", obj{{"repositoryName", "payments-api"}}, nil)
	describeScanFindings(b, ms(14, 10), ci, "payments-api", "v3.2.0", cveXZ, cveOpenSSH, cveGlibc, cveCurl)
	describeScanFindings(b, ms(15, 2), a, "payments-api", "v3.2.0", cveXZ, cveOpenSSH, cveGlibc, cveCurl)
	describeScanFindings(b, ms(22, 30), ci, "base-debian", "bookworm-20240101", cvePerl, cveTarInfo, cveUnknown, cveCurlHigh)
}

// ecrScanBenign: a clean image's scan (no findings), the images'
// summaries (DescribeImages), a scan not found, and scan-on-push turned on.
func ecrScanBenign(b *builder) {
	ci := &actor{b.env.ci.id, b.env.ci.ip, cliLinux}
	putImage(b, ms(5, 0), ci, "payments-api", "v3.1.9")
	describeScanFindings(b, ms(8, 30), ci, "payments-api", "v3.1.9")
	b.call(ms(9, 0), ci, b.region, "ecr:DescribeImages", obj{{"repositoryName", "payments-api"}, {"imageIds", []any{obj{{"imageTag", "v3.1.9"}}}}}, nil)
	b.call(ms(12, 0), ci, b.region, "ecr:DescribeImageScanFindings", obj{{"repositoryName", "reports-worker"}, {"imageId", obj{{"imageTag", "latest"}}}}, nil).
		fail("ScanNotFoundException", "Image scan does not exist for the image with '{imageDigest:'null', imageTag:'latest'}' in the repository with name 'reports-worker' in the registry with id '"+account+"'")
	b.call(ms(20, 0), ci, b.region, "ecr:PutImageScanningConfiguration", obj{{"repositoryName", "reports-worker"}, {"imageScanningConfiguration", obj{{"scanOnPush", true}}}},
		obj{{"registryId", account}, {"repositoryName", "reports-worker"}, {"imageScanningConfiguration", obj{{"scanOnPush", true}}}})
}

// ecrScanDatasets are the folders of this file's detections.
var ecrScanDatasets = []dataset{{
	dir: "datasets/attack_techniques/T1204.003/aws_ecr_image_scanning", file: "aws_ecr_scanning_findings_events.json",
	checks: []check{{name: "AWS ECR Container Scanning Findings High", expect: detECRFindingsHigh, entities: []string{"user", "repository"}},
		{name: "AWS ECR Container Scanning Findings Medium", expect: detECRFindingsMedium, entities: []string{"user", "repository"}},
		{name: "AWS ECR Container Scanning Findings Low Informational Unknown", expect: detECRFindingsLow, entities: []string{"user", "repository"}}},
	seed: 1204301, region: "us-east-1", start: time.Date(2026, 11, 13, 9, 0, 0, 0, time.UTC), noise: 50,
	attack: ecrScanAttack, benign: ecrScanBenign,
}}
