<#
.SYNOPSIS
    Lists the W&B runs that crashed or failed since a given time (by default: in the last 24 hours).

.DESCRIPTION
    The morning-after question: which training runs died overnight, on which host, for whom, and how far did they
    get? A run is reported when its state is Crashed or Failed (-State changes that) and its last heartbeat, the
    last moment it was known to be alive and so about when it died, falls between -Since and -Until. A long run that
    started days ago and died last night is reported; a run that failed last week is not.

    The runs come from local run folders (-Path) or from a W&B project over the API (-Project, with -Entity or as
    entity/project). With neither, the module chooses the source as its cmdlets do: the Connect-Wandb project, then
    ./wandb in the current location, then WANDB_PROJECT. The API key comes from -ApiKey, Connect-Wandb,
    WANDB_API_KEY or the netrc file that `wandb login` writes. Over the API the state and time filter is sent to the
    server, so only the matching runs are transferred.

    Writes one object per run, the most recent death first: RunId, Name, User, Host, State, ExitCode (from a local
    run's log; $null for a crashed run, and for runs read over the API, which carry no exit code), Runtime (a TimeSpan),
    CreatedAt, LastHeartbeat (UTC DateTimes), Link (the run's page for API runs, its folder for local runs), and the
    two answers to "why?": LastLines, the run's last console lines (-LogLines, 20 by default: the traceback or the
    "CUDA out of memory" is usually there), and PeakGpuMemoryPercent, the highest share of any GPU's memory the run
    had allocated ($null when the run recorded no GPU memory). With -OutFile it also writes them to a CSV file, with
    times in ISO 8601 (UTC), runtimes as [d.]hh:mm:ss and the last lines joined by line breaks, so the file reads the
    same in every culture; when nothing crashed the file has only its header.

.PARAMETER Since
    The start of the window: runs whose last heartbeat is at or after this time. Default: 24 hours ago. A time
    without a zone is local time.

.PARAMETER Until
    The end of the window: runs whose last heartbeat is at or before this time. Default: now.

.PARAMETER State
    The states to report (default: Crashed and Failed). Add Killed or Preempted to see those runs too.

.PARAMETER LogLines
    How many of each run's last console lines to include (default 20; 0 leaves them out and reads no console log).

.PARAMETER OutFile
    Also write the report to this CSV file (overwritten).

.PARAMETER Path
    A wandb folder (or a folder that holds one, or run folders) to read local runs from.

.PARAMETER Project
    The W&B project to read over the API; entity/project is accepted.

.PARAMETER Entity
    The entity (team or user) of -Project. Default: the connection, WANDB_ENTITY, or the key's own entity.

.PARAMETER BaseUrl
    The W&B server (default: the connection, WANDB_BASE_URL, the wandb settings files, or https://api.wandb.ai).

.PARAMETER ApiKey
    The API key, as a SecureString (default: Connect-Wandb, WANDB_API_KEY, then the netrc file).

.EXAMPLE
    ./Get-NightlyCrashReport.ps1 -Project acme-ml/mnist-sweep

    The runs of acme-ml/mnist-sweep that crashed or failed in the last 24 hours, with the key from `wandb login`.

.EXAMPLE
    ./Get-NightlyCrashReport.ps1 -Path ~/train/wandb -Since (Get-Date).Date.AddHours(-6) -OutFile crashes.csv

    The local runs that died since 18:00 yesterday, also written to crashes.csv.

.EXAMPLE
    ./Get-NightlyCrashReport.ps1 -Project mnist-sweep -Entity acme-ml -State Crashed, Failed, Killed |
        Group-Object Host -NoElement | Sort-Object Count -Descending

    Which hosts lost the most runs in the last 24 hours, killed runs included.

.OUTPUTS
    System.Management.Automation.PSCustomObject (WandbRunOps.Runbooks.CrashReportEntry)

.NOTES
    Needs the WandbRunOps module (Import-Module WandbRunOps). Works on Windows PowerShell 5.1 and PowerShell 7.4+.
    Tested by Get-NightlyCrashReport.Tests.ps1 beside it, against local sample runs and the loopback W&B server.
#>
[CmdletBinding(DefaultParameterSetName = 'Default')]
[OutputType([pscustomobject])]
param(
    [datetime] $Since = [datetime]::UtcNow.AddHours(-24),

    [datetime] $Until = [datetime]::UtcNow,

    [ValidateSet('Running', 'Finished', 'Failed', 'Crashed', 'Killed', 'Preempting', 'Preempted', 'Pending')]
    [string[]] $State = @('Crashed', 'Failed'),

    [ValidateRange(0, 10000)]
    [int] $LogLines = 20,

    [ValidateNotNullOrEmpty()]
    [string] $OutFile,

    [Parameter(Mandatory = $true, ParameterSetName = 'Path')]
    [ValidateNotNullOrEmpty()]
    [string[]] $Path,

    [Parameter(Mandatory = $true, ParameterSetName = 'Api')]
    [ValidateNotNullOrEmpty()]
    [string] $Project,

    [Parameter(ParameterSetName = 'Api')]
    [ValidateNotNullOrEmpty()]
    [string] $Entity,

    [Parameter(ParameterSetName = 'Api')]
    [ValidateNotNullOrEmpty()]
    [string] $BaseUrl,

    [Parameter(ParameterSetName = 'Api')]
    [ValidateNotNull()]
    [System.Security.SecureString] $ApiKey
)

if ($Since -gt $Until) {
    throw "-Since ($($Since.ToString('o'))) is after -Until ($($Until.ToString('o')))."
}

# Where the runs come from: -Path, -Project, or (neither) the module's default source.
$source = @{}
if ($PSCmdlet.ParameterSetName -eq 'Path') {
    $source['Path'] = $Path
}
elseif ($PSCmdlet.ParameterSetName -eq 'Api') {
    $source['Project'] = $Project
    if ($Entity) { $source['Entity'] = $Entity }
    if ($BaseUrl) { $source['BaseUrl'] = $BaseUrl }
    if ($ApiKey) { $source['ApiKey'] = $ApiKey }
}

# The window is on the heartbeat (when the run was last alive), not on the creation time, so that a long run that
# died last night counts. W&B's filter language has heartbeatAt; -State is the module's friendly filter.
$window = @{ heartbeatAt = @{ '$gte' = $Since; '$lte' = $Until } }
$runs = @(Get-WandbRun @source -State $State -Filter $window -OrderBy '-HeartbeatAt')

$report = foreach ($run in $runs) {
    # Why it died: the last console lines (-Tail reads only the end of the log) and the peak GPU memory the system
    # monitor recorded (system.gpu.<n>.memoryAllocated, percent; the per-process figures are left out).
    $lastLines = @()
    if ($LogLines -gt 0) {
        $lastLines = @($run | Get-RunLog -Tail $LogLines -WarningAction SilentlyContinue | ForEach-Object Line)
    }
    $gpuMemory = @($run | Get-RunSystemMetric -Key 'system.gpu.*.memoryAllocated' -WarningAction SilentlyContinue | ForEach-Object {
            foreach ($property in $_.PSObject.Properties) {
                if ($property.Name -match '^system\.gpu\.\d+\.memoryAllocated$' -and $property.Value -is [double]) { $property.Value }
            }
        })
    $peakGpuMemory = $null
    if ($gpuMemory.Count -gt 0) { $peakGpuMemory = ($gpuMemory | Measure-Object -Maximum).Maximum }

    [pscustomobject]@{
        PSTypeName    = 'WandbRunOps.Runbooks.CrashReportEntry'
        RunId         = $run.Id
        Name          = $run.Name
        User          = $run.Username
        Host          = $run.Host
        State         = $run.State
        ExitCode      = $run.ExitCode
        Runtime       = $run.Runtime
        CreatedAt     = $run.CreatedAt
        LastHeartbeat = $run.HeartbeatAt
        Link          = $(if ($run.Url) { $run.Url } else { $run.Path })
        LastLines     = $lastLines
        PeakGpuMemoryPercent = $peakGpuMemory
    }
}
$report = @($report)

Write-Verbose ("{0} run(s) in state {1} with a last heartbeat between {2} and {3} (UTC)." -f $report.Count,
    ($State -join '/'), $Since.ToUniversalTime().ToString('u'), $Until.ToUniversalTime().ToString('u'))

if ($OutFile) {
    $invariant = [System.Globalization.CultureInfo]::InvariantCulture
    $iso = "yyyy-MM-dd'T'HH:mm:ss'Z'"
    $columns = @('RunId', 'Name', 'User', 'Host', 'State', 'ExitCode', 'Runtime', 'CreatedAt', 'LastHeartbeat', 'Link', 'LastLines', 'PeakGpuMemoryPercent')
    if ($report.Count -eq 0) {
        # Export-Csv writes nothing for no input; a report with only its header still says "nothing crashed".
        Set-Content -LiteralPath $OutFile -Value ((@($columns | ForEach-Object { '"' + $_ + '"' })) -join ',') -Encoding UTF8
    }
    else {
        $report | ForEach-Object {
            [pscustomobject]@{
                RunId         = $_.RunId
                Name          = $_.Name
                User          = $_.User
                Host          = $_.Host
                State         = [string]$_.State
                ExitCode      = $_.ExitCode
                Runtime       = $_.Runtime.ToString('c', $invariant)
                CreatedAt     = $_.CreatedAt.ToUniversalTime().ToString($iso, $invariant)
                LastHeartbeat = $_.LastHeartbeat.ToUniversalTime().ToString($iso, $invariant)
                Link          = $_.Link
                LastLines     = $_.LastLines -join "`n"
                PeakGpuMemoryPercent = $(if ($null -ne $_.PeakGpuMemoryPercent) { $_.PeakGpuMemoryPercent.ToString('R', $invariant) })
            }
        } | Export-Csv -LiteralPath $OutFile -NoTypeInformation -Encoding UTF8
    }
    Write-Verbose "Wrote $OutFile."
}

$report
