package pipelines

// ScheduleConfig is what "salesops schedule" runs and when.
type ScheduleConfig struct {
	// Timezone of the jobs' times (default America/Sao_Paulo).
	Timezone string `yaml:"timezone"`
	// Holidays are local holidays, MM-DD, on top of the national ones.
	Holidays []string `yaml:"holidays"`
}
