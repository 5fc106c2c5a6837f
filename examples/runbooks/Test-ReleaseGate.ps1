<#
.SYNOPSIS
    Checks that the best finished run of a W&B sweep is good enough to release: its metric reaches a threshold and
    it logged the model artifact.

.DESCRIPTION
    A release gate for a training pipeline. Among the finished runs of the sweep (-Sweep), the best one is the run
    with the highest finite value of the summary metric (-Metric, default accuracy; runs that logged NaN, Infinity
    or nothing for it are skipped, and failed, crashed and running runs do not count). The gate passes when that
    run's value is at least -Threshold and the run logged the artifact -Artifact (default model:latest), so there is
    a model to ship.

    The runs come from local run folders (-Path) or from a W&B project over the API (-Project, with -Entity or as
    entity/project). With neither, the module chooses the source as its cmdlets do: the Connect-Wandb project, then
    ./wandb in the current location, then WANDB_PROJECT. The API key comes from -ApiKey, Connect-Wandb,
    WANDB_API_KEY or the netrc file that `wandb login` writes.

    Returns one result object: Passed (bool), Sweep, RunId, Run (the WandbRun, or $null when the sweep has no
    candidate), Metric, MetricValue, Threshold, Artifact, LoggedArtifact (the WandbArtifact, or $null) and Reason
    (one sentence saying why it passed or what failed).

    With -FailOnReject a rejection is also a terminating error (error id ReleaseGateRejected), after the result is
    written: `pwsh -File Test-ReleaseGate.ps1 ... -FailOnReject` then exits with code 1, which fails a CI step.
    Errors reading the runs (a missing path, an unknown project, a rejected key) always end the script, so a gate
    never passes on runs it could not read.

.PARAMETER Sweep
    The sweep id (the SweepId of its runs, such as swp01).

.PARAMETER Threshold
    The lowest acceptable value of -Metric.

.PARAMETER Metric
    The summary metric to rank the runs by and to compare with -Threshold, where higher is better. Default: accuracy.

.PARAMETER Artifact
    The artifact the best run must have logged: name:alias, name:vN or a bare name. Default: model:latest.

.PARAMETER FailOnReject
    Throw a terminating error (ReleaseGateRejected) when the gate rejects, after writing the result.

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
    ./Test-ReleaseGate.ps1 -Project acme-ml/mnist-sweep -Sweep swp01 -Threshold 0.9

    Passed : True, RunId : fin0002b, MetricValue : 0.95, Reason : fin0002b (calm-forest-2) has accuracy 0.95 >= 0.9
    and logged model:latest.

.EXAMPLE
    pwsh -NoProfile -File ./Test-ReleaseGate.ps1 -Project acme-ml/mnist-sweep -Sweep $SWEEP -Threshold 0.96 -FailOnReject

    In a CI step (with WANDB_API_KEY set from a secret): exit code 0 when the gate passes, 1 when it rejects.

.EXAMPLE
    ./Test-ReleaseGate.ps1 -Path ./wandb -Sweep swp01 -Metric f1 -Threshold 0.8 -Artifact 'model:best'

    Gate on the f1 score of local runs, and require the run to have logged the model version aliased best.

.OUTPUTS
    System.Management.Automation.PSCustomObject (WandbRunOps.Runbooks.ReleaseGateResult)

.NOTES
    Needs the WandbRunOps module (Import-Module WandbRunOps). Works on Windows PowerShell 5.1 and PowerShell 7.4+.
    Tested by Test-ReleaseGate.Tests.ps1 beside it, against local sample runs and the loopback W&B server.
#>
[CmdletBinding(DefaultParameterSetName = 'Default')]
[OutputType([pscustomobject])]
param(
    [Parameter(Mandatory = $true)]
    [ValidateNotNullOrEmpty()]
    [string] $Sweep,

    [Parameter(Mandatory = $true)]
    [double] $Threshold,

    [ValidateNotNullOrEmpty()]
    [string] $Metric = 'accuracy',

    [ValidateNotNullOrEmpty()]
    [string] $Artifact = 'model:latest',

    [switch] $FailOnReject,

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

# A gate must not pass on runs it could not read: every error reading them ends the script.
$ErrorActionPreference = 'Stop'

# A summary value as a finite double, or $null (missing, text, NaN, Infinity).
function ConvertTo-FiniteNumber {
    param($Value)
    if ($Value -is [double] -or $Value -is [single] -or $Value -is [long] -or $Value -is [int] -or $Value -is [decimal]) {
        $number = [double]$Value
        if (-not [double]::IsNaN($number) -and -not [double]::IsInfinity($number)) {
            return $number
        }
    }
    return $null
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

# The finished runs of the sweep, best first. -OrderBy ranks a missing value below NaN and NaN below every number,
# so the first run with a finite value is the best one (an Infinity, ranked first, is skipped).
$finished = @(Get-WandbRun @source -Sweep $Sweep -State Finished -OrderBy ('-Summary.' + $Metric))
$best = $null
$bestValue = $null
foreach ($run in $finished) {
    $value = ConvertTo-FiniteNumber $run.Summary[$Metric]
    if ($null -ne $value) {
        $best = $run
        $bestValue = $value
        break
    }
}

$logged = $null
$problems = @()
if ($finished.Count -eq 0) {
    $problems += "sweep '$Sweep' has no finished run"
}
elseif ($null -eq $best) {
    $problems += "no finished run of sweep '$Sweep' logged a finite '$Metric' (of $($finished.Count) finished)"
}
else {
    if ($bestValue -lt $Threshold) {
        $problems += "$Metric $bestValue of $($best.Id) is below the threshold $Threshold"
    }

    # A run that did not log the artifact writes WandbArtifactNotFound: that is the answer "no", not a failure.
    $artifactErrors = $null
    $logged = $best | Get-RunLoggedArtifact -Name $Artifact -ErrorAction SilentlyContinue -ErrorVariable artifactErrors |
        Select-Object -First 1
    $otherErrors = @($artifactErrors | Where-Object { $_.FullyQualifiedErrorId -notlike 'WandbArtifactNotFound,*' })
    if ($otherErrors.Count -gt 0) {
        throw $otherErrors[0]
    }
    if ($null -eq $logged) {
        $problems += "$($best.Id) did not log $Artifact"
    }
}

$passed = $problems.Count -eq 0
$reason = if ($passed) {
    "$($best.Id) ($($best.Name)) has $Metric $bestValue >= $Threshold and logged $Artifact."
}
else {
    'Rejected: ' + ($problems -join '; ') + '.'
}

$result = [pscustomobject]@{
    PSTypeName     = 'WandbRunOps.Runbooks.ReleaseGateResult'
    Passed         = $passed
    Sweep          = $Sweep
    RunId          = $(if ($best) { $best.Id } else { $null })
    Run            = $best
    Metric         = $Metric
    MetricValue    = $bestValue
    Threshold      = $Threshold
    Artifact       = $Artifact
    LoggedArtifact = $logged
    Reason         = $reason
}
$result

if (-not $passed -and $FailOnReject) {
    $record = New-Object System.Management.Automation.ErrorRecord (
        (New-Object System.InvalidOperationException ("Release gate for sweep '$Sweep': $reason")),
        'ReleaseGateRejected',
        [System.Management.Automation.ErrorCategory]::InvalidResult,
        $result)
    $PSCmdlet.ThrowTerminatingError($record)
}
