// n8n loads the classes through the "n8n" block of package.json; this entry point exists for
// tools and tests that require the package directly.
module.exports = {
	PliantApi: require('./dist/credentials/PliantApi.credentials.js').PliantApi,
	PliantCreateLead: require('./dist/nodes/PliantCreateLead/PliantCreateLead.node.js').PliantCreateLead,
	PliantOnboardingStatus: require('./dist/nodes/PliantOnboardingStatus/PliantOnboardingStatus.node.js')
		.PliantOnboardingStatus,
	PliantOnboardingStatusTrigger: require('./dist/nodes/PliantOnboardingStatusTrigger/PliantOnboardingStatusTrigger.node.js')
		.PliantOnboardingStatusTrigger,
	PliantTrigger: require('./dist/nodes/PliantTrigger/PliantTrigger.node.js').PliantTrigger,
};
