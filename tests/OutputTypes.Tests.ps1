# The type names users see, as PowerShell itself reports them: every command's declared output types, the types the
# module's format and type files name, and the type each command's output actually carries. They all live in one
# namespace, WandbRunOps.Model, because scripts, format data and -is tests spell them in full. The values inside
# those objects (maps, lists and a map's entries) are the value model, WandbRunOps.Values.

BeforeAll {
    . $PSScriptRoot/common.ps1
    $script:wandb = New-SampleRuns -Path (Join-Path $TestDrive 'samples')
    $script:moduleFolder = (Get-Module WandbRunOps).ModuleBase
    $script:outsideModel = {
        param([string[]] $Names)
        @($Names | Where-Object { $_ -notlike 'WandbRunOps.Model.*' })
    }
}

Describe 'Output type names' {
    It 'declares every output type of every command in WandbRunOps.Model' {
        # Save-RunFile and Save-WandbArtifact output the files they saved as Get-Item gives them, System.IO.FileInfo (interface decisions,
        # "Inside a run"): the one output type from outside the model, so its files pipe on like any others.
        $declared = @(Get-Command -Module WandbRunOps -CommandType Cmdlet | ForEach-Object OutputType | ForEach-Object Name |
            Where-Object { $_ -ne 'System.Void' -and $_ -ne 'System.IO.FileInfo' })
        $declared.Count | Should -BeGreaterOrEqual 9
        & $outsideModel $declared | Should -BeNullOrEmpty
    }

    It 'names in the format file only WandbRunOps.Model types, and the value model''s' {
        [xml] $format = Get-Content -LiteralPath (Join-Path $moduleFolder 'WandbRunOps.Format.ps1xml') -Raw
        $named = @($format.SelectNodes('//ViewSelectedBy/TypeName') | ForEach-Object InnerText)
        $named | Should -Contain 'WandbRunOps.Model.RunRuntime'
        & $outsideModel ($named | Where-Object { $_ -notlike 'WandbRunOps.Values.*' }) | Should -BeNullOrEmpty
    }

    It 'names in the types file only WandbRunOps.Model types' {
        [xml] $types = Get-Content -LiteralPath (Join-Path $moduleFolder 'WandbRunOps.Types.ps1xml') -Raw
        $named = @($types.SelectNodes('/Types/Type/Name') | ForEach-Object InnerText)
        $named | Should -Not -BeNullOrEmpty
        & $outsideModel $named | Should -BeNullOrEmpty
    }

    It 'gives each command''s output the type name it declares' {
        $run = Get-WandbRun -Path $wandb -Id fin0001a
        $reference = Get-WandbRun -Path $wandb -Id fin0002b
        $seen = [ordered]@{
            'Get-WandbRun'          = $run
            'Get-RunConfig'         = $run | Get-RunConfig
            'Get-RunSummary'        = $run | Get-RunSummary
            'Get-RunHistory'        = @($run | Get-RunHistory)[0]
            'Get-RunSystemMetric'   = @($run | Get-RunSystemMetric)[0]
            'Get-RunMetadata'       = $run | Get-RunMetadata
            'Get-RunLog'            = @(Get-WandbRun -Path $wandb -Id crsh005e | Get-RunLog)[0]
            'Get-RunLoggedArtifact' = @($run | Get-RunLoggedArtifact)[0]
            'Get-RunFile'           = @($run | Get-RunFile)[0]
            'Measure-RunRuntime'    = $run | Measure-RunRuntime
            'Measure-RunRuntime -Statistics' = $run | Measure-RunRuntime -Statistics
            'Compare-RunConfig'     = @(Compare-RunConfig -ReferenceRun $reference -DifferenceRun $run)[0]
        }
        foreach ($command in $seen.Keys) {
            $output = @($seen[$command])
            $output | Should -Not -BeNullOrEmpty -Because "$command outputs something"
            $declared = @((Get-Command ($command -split ' ')[0]).OutputType.Name)
            $output[0].PSObject.TypeNames[0] | Should -BeLike 'WandbRunOps.Model.*' -Because "$command outputs a WandbRunOps.Model type"
            $declared | Should -Contain $output[0].PSObject.TypeNames[0] -Because "$command declares what it outputs"
        }
    }

    It 'shows each output object''s properties in declared order, read-only, with no record members' {
        # The C# types are classes with get-only properties, not records: PowerShell would list a record's
        # <Clone>$ and Deconstruct, print it as 'Type { … }', and let scripts set its init-only properties.
        $runs = @(Get-WandbRun -Path $wandb -Id fin0001a, fin0002b)
        $expected = [ordered]@{
            'RunRuntime'        = @($runs | Measure-RunRuntime)[0], 'RunId,RunName,RunProject,RunEntity,RunPath,State,CreatedAt,HeartbeatAt,Runtime,Seconds,ReportedSeconds'
            'RuntimeStatistics' = @($runs | Measure-RunRuntime -Statistics)[0], 'Count,SumSeconds,AverageSeconds,MinimumSeconds,MaximumSeconds,MedianSeconds,StandardDeviationSeconds,Sum,Average,Minimum,Maximum,Median,StandardDeviation'
            'ConfigDifference'  = @(Compare-RunConfig -ReferenceRun $runs[0] -DifferenceRun $runs[1] -IncludeEqual)[0], 'Key,ReferenceValue,DifferenceValue,SideIndicator,ReferenceRunId,DifferenceRunId'
            'MapEntry'          = @([System.Linq.Enumerable]::Cast[object]($runs[0].Config))[0], 'Key,Value'
        }
        foreach ($type in $expected.Keys) {
            $object, $properties = $expected[$type]
            $object.PSObject.TypeNames[0] | Should -BeLike "*.$type"
            (($object | ConvertTo-Json -Depth 1 -WarningAction SilentlyContinue | ConvertFrom-Json).PSObject.Properties.Name -join ',') | Should -BeExactly $properties -Because "$type keeps its properties and their order"
            @($object | Get-Member -MemberType Property | Where-Object Definition -notmatch '\{get;\}$') | Should -BeNullOrEmpty -Because "$type is read-only to scripts"
            @($object | Get-Member -Name '<Clone>$', 'Deconstruct', 'EqualityContract' -Force) | Should -BeNullOrEmpty -Because "$type is not a record"
            "$object" | Should -Not -BeLike "$type {*"
        }
    }
}
