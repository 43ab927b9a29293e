// The suite runs with the process in UTC and the spreadsheet in Asia/Tokyo, so that any code that
// buckets dates with the process's local time zone fails. Refuse to run otherwise.
if (new Date(2025, 0, 1).getTimezoneOffset() !== 0 || process.env.TZ !== 'UTC') {
  throw new Error('Run the tests with TZ=UTC (npm test does).');
}
