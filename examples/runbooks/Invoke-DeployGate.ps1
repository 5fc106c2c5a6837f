<#
.SYNOPSIS
    Deploy gate: fetches the model version in production, checks where it came from, and downloads it verified.

.DESCRIPTION
    A CI step that deploys a model without starting a W&B run for it. It finds the artifact version -Artifact names
    (default model:production), then checks three things about it:

    - the run that logged it (its producer, from the artifact's lineage) finished (state Finished);
    - that run's summary -Metric (default accuracy) is a finite number of at least -Threshold;
    - that run used the approved dataset version -ApprovedDataset (such as mnist:v3): one of its used artifacts is
      that version (the same artifact id, or the same name and version).

    Only when all three hold are the version's files saved under -Destination with Save-WandbArtifact, each verified
    against its manifest digest (a file that does not match is not left under its name, and the gate fails).
    Reference entries (s3://, gs://…) are not downloaded: Save-WandbArtifact warns about each.

    The runs come from local run folders (-Path) or from a W&B project over the API (-Project, with -Entity or as
    entity/project). With neither, the module chooses the source as its cmdlets do: the Connect-Wandb project, then
    ./wandb in the current location, then WANDB_PROJECT. The API key comes from -ApiKey, Connect-Wandb,
    WANDB_API_KEY or the netrc file that `wandb login` writes.

    Returns one result object: Passed (bool), Artifact (the WandbArtifact, or $null when it does not exist),
    Reference, ProducerRunId, Producer (the WandbRun), Metric, MetricValue, Threshold, ApprovedDataset,
    UsedDatasets (the producer's used artifacts, as name:version references), Destination, Files (the FileInfo of
    each file saved, empty when the gate rejected) and Reason (one sentence saying why it passed or what failed).

    With -FailOnReject a rejection is also a terminating error (error id DeployGateRejected), after the result is
    written: `pwsh -File Invoke-DeployGate.ps1 ... -FailOnReject` then exits with code 1, which fails a CI step.
    Errors reading the runs (a missing path, an unknown project, a rejected key) always end the script, so a gate
    never passes on facts it could not read.

.PARAMETER Artifact
    The artifact version to deploy: name:alias or name:vN (default model:production).

.PARAMETER ApprovedDataset
    The dataset version the producing run must have used: name:vN, or name:alias (the version the alias names now).

.PARAMETER Threshold
    The lowest acceptable value of -Metric in the producing run's summary.

.PARAMETER Metric
    The summary metric to compare with -Threshold, where higher is better. Default: accuracy.

.PARAMETER Destination
    The folder to save the artifact's files into (created when missing). A file already there with the same MD5 is
    kept as it is.

.PARAMETER FailOnReject
    Throw a terminating error (DeployGateRejected) when the gate rejects, after writing the result.

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
    ./Invoke-DeployGate.ps1 -Project acme-ml/mnist-sweep -ApprovedDataset mnist:v4 -Threshold 0.9 -Destination ./model

    Passed : True, Reference : model:v1, ProducerRunId : fin0002b, MetricValue : 0.95, Files : {model.pt, config.json},
    Reason : model:production (model:v1) was produced by fin0002b (calm-forest-2), which finished with accuracy
    0.95 >= 0.9 and used mnist:v4; 2 files saved and verified in ./model.

.EXAMPLE
    pwsh -NoProfile -File ./Invoke-DeployGate.ps1 -Project acme-ml/mnist-sweep -ApprovedDataset mnist:v4 -Threshold 0.9 -Destination $MODEL_DIR -FailOnReject

    In a CI step (with WANDB_API_KEY set from a secret): exit code 0 with the model in $MODEL_DIR when the gate
    passes, 1 when it rejects.

.EXAMPLE
    ./Invoke-DeployGate.ps1 -Path ./wandb -Artifact weights:production -ApprovedDataset mnist:v3 -Threshold 0.9 -Destination ./model

    The same gate over local run folders: the files are copied from where the SDK staged them when the run logged
    the artifact.

.OUTPUTS
    System.Management.Automation.PSCustomObject (WandbRunOps.Runbooks.DeployGateResult)

.NOTES
    Needs the WandbRunOps module (Import-Module WandbRunOps). Works on Windows PowerShell 5.1 and PowerShell 7.4+.
    Tested by Invoke-DeployGate.Tests.ps1 beside it, against local sample runs and the loopback W&B server.
#>
[CmdletBinding(DefaultParameterSetName = 'Default')]
[OutputType([pscustomobject])]
param(
    [ValidateNotNullOrEmpty()]
    [string] $Artifact = 'model:production',

    [Parameter(Mandatory = $true)]
    [ValidateNotNullOrEmpty()]
    [string] $ApprovedDataset,

    [Parameter(Mandatory = $true)]
    [double] $Threshold,

    [ValidateNotNullOrEmpty()]
    [string] $Metric = 'accuracy',

    [Parameter(Mandatory = $true)]
    [ValidateNotNullOrEmpty()]
    [string] $Destination,

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

# A gate must not pass on facts it could not read: every error reading them ends the script.
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

# The one artifact version a name:alias or name:vN names; $null when there is none. WandbArtifactNotFound is the
# answer "there is no such version"; any other error ends the script.
function Find-ArtifactVersion {
    param([hashtable] $Source, [string] $Name)
    $lookupErrors = $null
    $found = @(Get-WandbArtifact @Source -Name $Name -ErrorAction SilentlyContinue -ErrorVariable lookupErrors)
    $otherErrors = @($lookupErrors | Where-Object { $_.FullyQualifiedErrorId -notlike 'WandbArtifactNotFound,*' })
    if ($otherErrors.Count -gt 0) {
        throw $otherErrors[0]
    }
    , $found
}

# The name:version a used artifact is known by (name:alias when its version is not known).
function Get-VersionReference {
    param($Version)
    if ($Version.Version) { '{0}:{1}' -f $Version.Name, $Version.Version } else { $Version.Reference }
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

$problems = @()
$model = $null
$producer = $null
$metricValue = $null
$usedDatasets = @()
$files = @()

# 1. The version to deploy: exactly one.
$candidates = Find-ArtifactVersion -Source $source -Name $Artifact
if ($candidates.Count -eq 0) {
    $problems += "$Artifact does not exist"
}
elseif ($candidates.Count -gt 1) {
    $problems += "$Artifact names $($candidates.Count) versions ($((($candidates | ForEach-Object { Get-VersionReference $_ }) -join ', '))), not one"
}
else {
    $model = $candidates[0]
}

# An upload still in progress, or one that failed, is not a model to deploy (a local, unsynced one has no state).
if ($model -and $model.State -and $model.State -ne 'COMMITTED') {
    $problems += "$Artifact is $($model.State), not committed"
}

if ($model) {
    # 2. The run that produced it, from the artifact's lineage.
    $producer = @(Get-WandbRun @source -LoggedArtifact $Artifact) | Select-Object -First 1
    if (-not $producer) {
        $problems += "no run is recorded as the producer of $Artifact"
    }
    else {
        if ($producer.State -ne 'Finished') {
            $problems += "its producer $($producer.Id) is $($producer.State), not Finished"
        }

        $metricValue = ConvertTo-FiniteNumber $producer.Summary[$Metric]
        if ($null -eq $metricValue) {
            $problems += "its producer $($producer.Id) has no finite '$Metric'"
        }
        elseif ($metricValue -lt $Threshold) {
            $problems += "$Metric $metricValue of its producer $($producer.Id) is below the threshold $Threshold"
        }

        # 3. The approved dataset version among the producer's inputs: the same artifact id, or name and version.
        $used = @($producer | Get-RunUsedArtifact)
        $usedDatasets = @($used | ForEach-Object { Get-VersionReference $_ })
        $approved = Find-ArtifactVersion -Source $source -Name $ApprovedDataset
        if ($approved.Count -eq 0) {
            $problems += "the approved dataset $ApprovedDataset does not exist"
        }
        else {
            $approvedVersion = $approved[0]
            $match = $used | Where-Object {
                ($_.Id -and $_.Id -eq $approvedVersion.Id) -or
                ($_.Version -and $_.Name -eq $approvedVersion.Name -and $_.Version -eq $approvedVersion.Version)
            }
            if (-not $match) {
                $inputs = if ($usedDatasets.Count -gt 0) { $usedDatasets -join ', ' } else { 'no artifact' }
                $problems += "its producer $($producer.Id) used $inputs, not the approved $ApprovedDataset"
            }
        }
    }
}

# 4. Only a version that passed every check is downloaded; each file is verified against its digest as it is saved.
if ($problems.Count -eq 0) {
    $saveErrors = $null
    $files = @($model | Save-WandbArtifact -Destination $Destination -ErrorAction SilentlyContinue -ErrorVariable saveErrors)
    if ($saveErrors.Count -gt 0) {
        $problems += "$($saveErrors.Count) of its files could not be saved and verified ($(($saveErrors | ForEach-Object { $_.Exception.Message }) -join ' '))"
    }
}

$passed = $problems.Count -eq 0
$reference = if ($model) { Get-VersionReference $model } else { $null }
$reason = if ($passed) {
    "$Artifact ($reference) was produced by $($producer.Id) ($($producer.Name)), which finished with $Metric $metricValue >= $Threshold and used $ApprovedDataset; $($files.Count) files saved and verified in $Destination."
}
else {
    'Rejected: ' + ($problems -join '; ') + '.'
}

$result = [pscustomobject]@{
    PSTypeName      = 'WandbRunOps.Runbooks.DeployGateResult'
    Passed          = $passed
    Artifact        = $model
    Reference       = $reference
    ProducerRunId   = $(if ($producer) { $producer.Id } else { $null })
    Producer        = $producer
    Metric          = $Metric
    MetricValue     = $metricValue
    Threshold       = $Threshold
    ApprovedDataset = $ApprovedDataset
    UsedDatasets    = $usedDatasets
    Destination     = $Destination
    Files           = $files
    Reason          = $reason
}
$result

if (-not $passed -and $FailOnReject) {
    $record = New-Object System.Management.Automation.ErrorRecord (
        (New-Object System.InvalidOperationException ("Deploy gate for $($Artifact): $reason")),
        'DeployGateRejected',
        [System.Management.Automation.ErrorCategory]::InvalidResult,
        $result)
    $PSCmdlet.ThrowTerminatingError($record)
}
