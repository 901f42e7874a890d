package dev.prism.deploy.dashboard;

import dev.prism.deploy.PrismRuntime;
import dev.prism.deploy.api.ApiException;
import dev.prism.deploy.jobs.JobState;

/** The job lookup the dashboard endpoints share, with the same 404 message as the job API. */
final class DashboardJobs {

    private DashboardJobs() {
    }

    static JobState require(PrismRuntime runtime, String id) {
        if (!runtime.isStarted()) {
            throw new ApiException(503, "Prism's backbone is not running in this process");
        }
        JobState s = runtime.tracker().get(id);
        if (s == null || s.request == null || s.state == JobState.State.DELETED) {
            throw new ApiException(404, "no job '" + id + "': list jobs with GET /v1/jobs");
        }
        return s;
    }
}
