package event

// commonNames interns the nested field names of CloudTrail records that
// every event repeats (from the ESCU aws_cloudtrail data sources), so that
// extracting them allocates no name.
var commonNames = func() map[string]string {
	m := make(map[string]string, len(commonNameList))
	for _, n := range commonNameList {
		m[n] = n
	}
	return m
}()

var commonNameList = []string{
	"additionalEventData.AuthenticationMethod",
	"additionalEventData.CipherSuite",
	"additionalEventData.LoginTo",
	"additionalEventData.MFAUsed",
	"additionalEventData.MobileVersion",
	"additionalEventData.SSEApplied",
	"additionalEventData.SignatureVersion",
	"additionalEventData.bytesTransferredIn",
	"additionalEventData.bytesTransferredOut",
	"additionalEventData.x-amz-id-2",
	"resources{}.ARN",
	"resources{}.accountId",
	"resources{}.type",
	"tlsDetails.cipherSuite",
	"tlsDetails.clientProvidedHostHeader",
	"tlsDetails.tlsVersion",
	"userIdentity.accessKeyId",
	"userIdentity.accountId",
	"userIdentity.arn",
	"userIdentity.credentialId",
	"userIdentity.identityProvider",
	"userIdentity.invokedBy",
	"userIdentity.onBehalfOf.identityStoreArn",
	"userIdentity.onBehalfOf.userId",
	"userIdentity.principalId",
	"userIdentity.sessionContext.assumedRoot",
	"userIdentity.sessionContext.attributes.creationDate",
	"userIdentity.sessionContext.attributes.mfaAuthenticated",
	"userIdentity.sessionContext.ec2RoleDelivery",
	"userIdentity.sessionContext.sessionIssuer.accountId",
	"userIdentity.sessionContext.sessionIssuer.arn",
	"userIdentity.sessionContext.sessionIssuer.principalId",
	"userIdentity.sessionContext.sessionIssuer.type",
	"userIdentity.sessionContext.sessionIssuer.userName",
	"userIdentity.sessionContext.sourceIdentity",
	"userIdentity.type",
	"userIdentity.userName",
}
